from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from production.api import action_views, auth_views, entity_views, views
from zou_site.api.routers import ZouRouter, uuid_part

router = ZouRouter()
# seed dialect first, Zou's later spelling as alias
router.register("data/persons", views.PersonViewSet, "person")
router.register(
    "data/projects", views.ProjectViewSet, "project", action_aliases={"asset_types": "asset-types", "task_types": "task-types"}
)
router.register("data/project_status", views.ProjectStatusViewSet, "project-status", ["data/project-status"])
router.register("data/tasks", views.TaskViewSet, "task")
router.register("data/task_status", views.TaskStatusViewSet, "task-status", ["data/task-status"])
router.register("data/task_types", views.TaskTypeViewSet, "task-type", ["data/task-types"])
router.register("data/departments", views.DepartmentViewSet, "department")
router.register("data/time_spents", views.TimeSpentViewSet, "time-spent", ["data/time-spents"])
router.register("data/episodes", entity_views.EpisodeViewSet, "episode")
router.register("data/sequences", entity_views.SequenceViewSet, "sequence")
router.register("data/shots", entity_views.ShotViewSet, "shot", action_aliases={"task_types": "task-types"})
router.register("data/assets", entity_views.AssetViewSet, "asset", action_aliases={"task_types": "task-types"})
router.register("data/asset_types", views.AssetTypeViewSet, "asset-type", ["data/asset-types"])
router.register("data/entity_types", views.EntityTypeViewSet, "entity-type", ["data/entity-types"])
router.register("data/entities", entity_views.EntityViewSet, "entity")
router.register("data/comments", views.CommentViewSet, "comment")


TASK = uuid_part("task_id")
router.route("auth/login", auth_views.LoginView.as_view(), "auth-login")
router.route("auth/logout", auth_views.LogoutView.as_view(), "auth-logout")
router.route("auth/authenticated", auth_views.AuthenticatedView.as_view(), "auth-authenticated")
router.route("auth/refresh-token", auth_views.RefreshTokenView.as_view(), "auth-refresh-token")
router.route("auth/refresh-token/revoke", auth_views.RefreshTokenRevokeView.as_view(), "auth-refresh-token-revoke")
router.route("auth/change-password", auth_views.ChangePasswordView.as_view(), "auth-change-password")
router.route("openapi.json", SpectacularJSONAPIView.as_view(), "openapi-schema")
# The split view serves Swagger UI's start-up script as a file of its own (?script): no inline script.
router.route(
    "docs",
    SpectacularSwaggerSplitView.as_view(url_name="openapi-schema", template_name="api_docs/swagger_ui.html"),
    "openapi-docs",
)
router.route(f"data/tasks/{TASK}/start", action_views.TaskStartView.as_view(), "task-start", [f"actions/tasks/{TASK}/start"])
router.route(f"data/tasks/{TASK}/assign", action_views.TaskAssignView.as_view(), "task-assign", [f"actions/tasks/{TASK}/assign"])
router.route("actions/tasks/clear-assignation", action_views.ClearAssignationView.as_view(), "tasks-clear-assignation")
router.route(f"actions/persons/{uuid_part('person_id')}/assign", action_views.PersonAssignView.as_view(), "person-assign")
router.route(f"actions/tasks/{TASK}/comment", action_views.TaskCommentView.as_view(), "task-comment")
router.route(f"actions/tasks/{TASK}/time-spents", action_views.TaskTimeSpentsView.as_view(), "task-time-spents")
router.route(f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)", action_views.TaskTimeSpentsView.as_view(), "task-time-spents-day")
router.route(
    f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)/persons/{uuid_part('person_id')}",
    action_views.TaskTimeSpentSetView.as_view(),
    "task-time-spent-set",
)
router.route(
    f"actions/tasks/{TASK}/time-spents/(?P<date>[^/]+)/persons/{uuid_part('person_id')}/add",
    action_views.TaskTimeSpentAddView.as_view(),
    "task-time-spent-add",
)
router.route(
    f"actions/task-types/{uuid_part('task_type_id')}/shots/create-tasks",
    action_views.TaskTypeCreateTasksView.as_view(kind="shots"),
    "task-type-create-shot-tasks",
    [f"actions/projects/{uuid_part('project_id')}/task-types/{uuid_part('task_type_id')}/shots/create-tasks"],
)
router.route(
    f"actions/task-types/{uuid_part('task_type_id')}/assets/create-tasks",
    action_views.TaskTypeCreateTasksView.as_view(kind="assets"),
    "task-type-create-asset-tasks",
    [f"actions/projects/{uuid_part('project_id')}/task-types/{uuid_part('task_type_id')}/assets/create-tasks"],
)

urlpatterns = [path("", auth_views.ApiRootView.as_view(), name="api-root"), *router.urls]
