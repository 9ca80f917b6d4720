from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from production.api import action_views, auth_views, views
from zou_site.routers import ZouRouter, declare_aliases, route

router = ZouRouter()
# seed dialect first, Zou's later spelling as alias
router.register_with_aliases("data/persons", views.PersonViewSet, "person")
router.register_with_aliases("data/projects", views.ProjectViewSet, "project")
router.register_with_aliases("data/project_status", views.ProjectStatusViewSet, "project-status", ["data/project-status"])
router.register_with_aliases("data/tasks", views.TaskViewSet, "task")
router.register_with_aliases("data/task_status", views.TaskStatusViewSet, "task-status", ["data/task-status"])
router.register_with_aliases("data/task_types", views.TaskTypeViewSet, "task-type", ["data/task-types"])
router.register_with_aliases("data/departments", views.DepartmentViewSet, "department")
router.register_with_aliases("data/time_spents", views.TimeSpentViewSet, "time-spent", ["data/time-spents"])
router.register_with_aliases("data/episodes", views.EpisodeViewSet, "episode")
router.register_with_aliases("data/sequences", views.SequenceViewSet, "sequence")
router.register_with_aliases("data/shots", views.ShotViewSet, "shot")
router.register_with_aliases("data/assets", views.AssetViewSet, "asset")
router.register_with_aliases("data/asset_types", views.AssetTypeViewSet, "asset-type", ["data/asset-types"])
router.register_with_aliases("data/entity_types", views.EntityTypeViewSet, "entity-type", ["data/entity-types"])
router.register_with_aliases("data/entities", views.EntityViewSet, "entity")
router.register_with_aliases("data/comments", views.CommentViewSet, "comment")

declare_aliases(
    "data/projects/{id}/asset-types",
    "data/projects/{id}/task-types",
    "data/shots/{id}/task-types",
    "data/assets/{id}/task-types",
)

TASK = r"(?P<task_id>[^/]+)"
urlpatterns = [
    path("", auth_views.ApiRootView.as_view(), name="api-root"),
    *route("auth/login", auth_views.LoginView.as_view(), "auth-login"),
    *route("auth/logout", auth_views.LogoutView.as_view(), "auth-logout"),
    *route("auth/authenticated", auth_views.AuthenticatedView.as_view(), "auth-authenticated"),
    *route("auth/refresh-token", auth_views.RefreshTokenView.as_view(), "auth-refresh-token"),
    *route("auth/refresh-token/revoke", auth_views.RefreshTokenRevokeView.as_view(), "auth-refresh-token-revoke"),
    *route("auth/change-password", auth_views.ChangePasswordView.as_view(), "auth-change-password"),
    *route("openapi.json", SpectacularJSONAPIView.as_view(), "openapi-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script): no inline script.
    *route(
        "docs",
        SpectacularSwaggerSplitView.as_view(url_name="openapi-schema", template_name="api_docs/swagger_ui.html"),
        "openapi-docs",
    ),
    *route(f"data/tasks/{TASK}/start", action_views.TaskStartView.as_view(), "task-start", [f"actions/tasks/{TASK}/start"]),
    *route(f"data/tasks/{TASK}/assign", action_views.TaskAssignView.as_view(), "task-assign", [f"actions/tasks/{TASK}/assign"]),
    *route("actions/tasks/clear-assignation", action_views.ClearAssignationView.as_view(), "tasks-clear-assignation"),
    *route(r"actions/persons/(?P<person_id>[^/]+)/assign", action_views.PersonAssignView.as_view(), "person-assign"),
    *route(f"actions/tasks/{TASK}/comment", action_views.TaskCommentView.as_view(), "task-comment"),
    *route(f"actions/tasks/{TASK}/time-spents", action_views.TaskTimeSpentsView.as_view(), "task-time-spents"),
    *route(f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)", action_views.TaskTimeSpentsView.as_view(), "task-time-spents-day"),
    *route(
        f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)/persons/(?P<person_id>[^/]+)",
        action_views.TaskTimeSpentSetView.as_view(),
        "task-time-spent-set",
    ),
    *route(
        f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)/persons/(?P<person_id>[^/]+)/add",
        action_views.TaskTimeSpentAddView.as_view(),
        "task-time-spent-add",
    ),
    *route(
        r"actions/task-types/(?P<task_type_id>[^/]+)/shots/create-tasks",
        action_views.TaskTypeCreateTasksView.as_view(kind="shots"),
        "task-type-create-shot-tasks",
        [r"actions/projects/(?P<project_id>[^/]+)/task-types/(?P<task_type_id>[^/]+)/shots/create-tasks"],
    ),
    *route(
        r"actions/task-types/(?P<task_type_id>[^/]+)/assets/create-tasks",
        action_views.TaskTypeCreateTasksView.as_view(kind="assets"),
        "task-type-create-asset-tasks",
        [r"actions/projects/(?P<project_id>[^/]+)/task-types/(?P<task_type_id>[^/]+)/assets/create-tasks"],
    ),
    *router.urls,
]
