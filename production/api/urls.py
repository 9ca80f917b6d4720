from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from production.api import (
    action_views,
    auth_views,
    casting_views,
    comment_views,
    entity_views,
    event_views,
    task_list_views,
    team_views,
    user_views,
    views,
)
from production.webhooks import api as webhook_api
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
# `data/assets_types`: the seed document's own spelling.
router.register("data/asset_types", views.AssetTypeViewSet, "asset-type", ["data/asset-types", "data/assets_types"])
router.register("data/entity_types", views.EntityTypeViewSet, "entity-type", ["data/entity-types"])
router.register("data/entities", entity_views.EntityViewSet, "entity")
router.register("data/comments", views.CommentViewSet, "comment")


TASK = uuid_part("task_id")
router.route("data/events/last", event_views.EventsLastView.as_view(), "events-last")
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

# --- gazu's task lists, bulk deletion and the artist's own view (issue 15) ---
def _get(viewset, method, http="get"):
    return viewset.as_view({http: method})


PROJECT, SEQUENCE, EPISODE = uuid_part("project_id"), uuid_part("sequence_id"), uuid_part("episode_id")
SHOT, ASSET, PERSON = uuid_part("shot_id"), uuid_part("asset_id"), uuid_part("person_id")
TASK_TYPE, DAY = uuid_part("task_type_id"), "(?P<date>[^/]+)"
lists, user = task_list_views.TaskListsViewSet, user_views.UserTasksViewSet
for pattern, view, name in (
    (f"data/projects/{PROJECT}/tasks", _get(lists, "project_tasks"), "project-tasks"),
    (f"data/projects/{PROJECT}/comments", _get(task_list_views.ProjectCommentsViewSet, "project_comments"), "project-comments"),
    (
        f"data/projects/{PROJECT}/settings/task-status",
        task_list_views.ProjectTaskStatusesViewSet.as_view({"get": "project_task_statuses", "post": "project_task_status_add"}),
        "project-task-statuses",
    ),
    (
        f"data/projects/{PROJECT}/settings/task-types",
        _get(task_list_views.ProjectTaskStatusesViewSet, "project_task_types"),
        "project-settings-task-types",
    ),
    (f"data/sequences/{SEQUENCE}/tasks", _get(lists, "sequence_tasks"), "sequence-tasks"),
    (f"data/sequences/{SEQUENCE}/shot-tasks", _get(lists, "sequence_shot_tasks"), "sequence-shot-tasks"),
    (f"data/sequences/{SEQUENCE}/task-types", _get(lists, "sequence_task_types"), "sequence-task-types"),
    (f"data/episodes/{EPISODE}/tasks", _get(lists, "episode_tasks"), "episode-tasks"),
    (f"data/episodes/{EPISODE}/shot-tasks", _get(lists, "episode_shot_tasks"), "episode-shot-tasks"),
    (f"data/episodes/{EPISODE}/asset-tasks", _get(lists, "episode_asset_tasks"), "episode-asset-tasks"),
    (f"data/episodes/{EPISODE}/task-types", _get(lists, "episode_task_types"), "episode-task-types"),
    (f"data/shots/{SHOT}/asset-types", _get(lists, "shot_asset_types"), "shot-asset-types"),
    (
        f"data/entities/{uuid_part('entity_id')}/task-types/{TASK_TYPE}/tasks",
        _get(lists, "entity_task_type_tasks"),
        "entity-task-type-tasks",
    ),
    (f"data/persons/{PERSON}/tasks", _get(lists, "person_tasks"), "person-tasks"),
    (f"data/persons/{PERSON}/done-tasks", _get(lists, "person_done_tasks"), "person-done-tasks"),
    (f"data/persons/{PERSON}/related-tasks/{TASK_TYPE}", _get(lists, "person_related_tasks"), "person-related-tasks"),
    ("data/tasks/open-tasks", _get(task_list_views.OpenTasksViewSet, "open_tasks"), "open-tasks"),
    ("data/tasks/open-tasks/stats", _get(task_list_views.TaskStatsViewSet, "open_tasks_stats"), "open-tasks-stats"),
    ("data/persons/task-dates", _get(task_list_views.TaskStatsViewSet, "persons_tasks_dates"), "persons-task-dates"),
    (f"actions/projects/{PROJECT}/delete-tasks", _get(task_list_views.TasksDeleteViewSet, "delete_tasks", "post"), "project-delete-tasks"),
    (
        f"actions/projects/{PROJECT}/task-types/{TASK_TYPE}/delete-tasks",
        _get(task_list_views.TasksDeleteViewSet, "delete_task_type_tasks", "delete"),
        "project-task-type-delete-tasks",
    ),
    ("data/user/tasks", _get(user, "tasks"), "user-tasks"),
    ("data/user/done-tasks", _get(user, "done_tasks"), "user-done-tasks"),
    ("data/user/tasks-to-check", _get(user, "tasks_to_check"), "user-tasks-to-check"),
    ("data/user/projects/open", _get(user, "open_projects"), "user-open-projects"),
    ("data/user/context", _get(user, "context"), "user-context"),
    (f"data/user/projects/{PROJECT}/asset-types", _get(user, "project_asset_types"), "user-project-asset-types"),
    (
        f"data/user/projects/{PROJECT}/asset-types/{uuid_part('asset_type_id')}/assets",
        _get(user, "project_assets"),
        "user-project-assets",
    ),
    (f"data/user/projects/{PROJECT}/episodes", _get(user, "project_episodes"), "user-project-episodes"),
    (f"data/user/projects/{PROJECT}/sequences", _get(user, "project_sequences"), "user-project-sequences"),
    (f"data/user/sequences/{SEQUENCE}/shots", _get(user, "sequence_shots"), "user-sequence-shots"),
    (f"data/user/sequences/{SEQUENCE}/tasks", _get(user, "entity_tasks"), "user-sequence-tasks"),
    (f"data/user/sequences/{SEQUENCE}/task-types", _get(user, "entity_task_types"), "user-sequence-task-types"),
    (f"data/user/shots/{SHOT}/tasks", _get(user, "entity_tasks"), "user-shot-tasks"),
    (f"data/user/shots/{SHOT}/task-types", _get(user, "entity_task_types"), "user-shot-task-types"),
    (f"data/user/assets/{ASSET}/tasks", _get(user, "entity_tasks"), "user-asset-tasks"),
    (f"data/user/assets/{ASSET}/task-types", _get(user, "entity_task_types"), "user-asset-task-types"),
    ("data/user/time-spents", _get(user_views.UserTimeSpentsViewSet, "time_spents"), "user-time-spents"),
    (f"data/user/time-spents/{DAY}", _get(user_views.UserTimeSpentsViewSet, "day_time_spents"), "user-day-time-spents"),
    (
        f"data/user/tasks/{TASK}/time-spents/{DAY}",
        _get(user_views.UserTimeSpentsViewSet, "task_day_time_spent"),
        "user-task-day-time-spent",
    ),
):
    router.route(pattern, view, name)


# --- persons and teams as gazu's project and person modules call them (issue 15) ---
team, person_actions, person_time = team_views.ProjectTeamViewSet, team_views.PersonActionsViewSet, team_views.PersonTimeSpentsViewSet
YEAR, MONTH = r"(?P<year>[0-9]+)", r"(?P<month>[0-9]+)"
PERSON_TIME = f"data/persons/{PERSON}/time-spents"
for pattern, view, name in (
    (f"data/projects/{PROJECT}/team", team.as_view({"get": "team", "post": "team_add"}), "project-team"),
    (f"data/projects/{PROJECT}/team/{PERSON}", team.as_view({"put": "team_role", "delete": "team_remove"}), "project-team-member"),
    (f"actions/persons/{PERSON}/departments/add", _get(person_actions, "department_add", "post"), "person-department-add"),
    (
        f"actions/persons/{PERSON}/departments/{uuid_part('department_id')}",
        _get(person_actions, "department_remove", "delete"),
        "person-department-remove",
    ),
    (f"actions/persons/{PERSON}/change-password", _get(person_actions, "change_password", "post"), "person-change-password"),
    (PERSON_TIME, _get(person_time, "time_spents"), "person-time-spents"),
    (f"{PERSON_TIME}/{DAY}", _get(person_time, "day"), "person-day-time-spents"),
    (f"{PERSON_TIME}/year/{YEAR}", _get(person_time, "year"), "person-year-time-spents"),
    (f"{PERSON_TIME}/month/{YEAR}/{MONTH}", _get(person_time, "month"), "person-month-time-spents"),
    (f"{PERSON_TIME}/month/all/{YEAR}/{MONTH}", _get(person_time, "month_all"), "person-month-all-time-spents"),
    (f"{PERSON_TIME}/week/{YEAR}/(?P<week>[0-9]+)", _get(person_time, "week"), "person-week-time-spents"),
    (f"{PERSON_TIME}/day/{YEAR}/{MONTH}/(?P<day>[0-9]+)", _get(person_time, "day_summary"), "person-day-summary-time-spents"),
):
    router.route(pattern, view, name)

# gazu's batch comments (issue 15)
router.route("actions/tasks/batch-comment", comment_views.BatchCommentView.as_view(), "tasks-batch-comment")
router.route(f"actions/tasks/{TASK}/batch-comment", comment_views.BatchCommentView.as_view(), "task-batch-comment")
router.route(f"actions/projects/{PROJECT}/tasks/comment-many", comment_views.BatchCommentView.as_view(), "project-comment-many")
router.route(
    f"actions/tasks/{TASK}/comments/{uuid_part('comment_id')}/move", comment_views.MoveCommentView.as_view(), "task-comment-move"
)

# --- gazu's casting module (issue 15) ---
casting, links = casting_views.CastingViewSet, casting_views.EntityLinkViewSet
IN_PROJECT = f"data/projects/{PROJECT}"
for pattern, view, name in (
    (
        f"{IN_PROJECT}/entities/{uuid_part('entity_id')}/casting",
        casting.as_view({"get": "entity_casting", "put": "entity_casting"}),
        "entity-casting",
    ),
    (f"{IN_PROJECT}/sequences/{SEQUENCE}/casting", _get(casting, "sequence_casting"), "sequence-casting"),
    (f"{IN_PROJECT}/sequences/all/casting", _get(casting, "project_shots_casting"), "project-shots-casting"),
    (f"{IN_PROJECT}/episodes/{EPISODE}/sequences/all/casting", _get(casting, "episode_shots_casting"), "episode-shots-casting"),
    (f"{IN_PROJECT}/episodes/casting", _get(casting, "episodes_casting"), "episodes-casting"),
    (f"{IN_PROJECT}/asset-types/{uuid_part('asset_type_id')}/casting", _get(casting, "asset_type_casting"), "asset-type-casting"),
    (f"{IN_PROJECT}/entities/casting/assets/{ASSET}", _get(casting, "asset_cast", "put"), "asset-cast"),
    (f"data/assets/{ASSET}/cast-in", _get(casting, "asset_cast_in"), "asset-cast-in"),
    (f"{IN_PROJECT}/entity-links", _get(links, "project_links"), "project-entity-links"),
    (f"data/entity-links/{uuid_part('pk')}", _get(links, "destroy", "delete"), "entity-link"),
    (f"data/entity-links/{uuid_part('pk')}/history", _get(links, "history"), "entity-link-history"),
):
    router.route(pattern, view, name)


# Webhooks (admins only; production/webhooks/api.py).
WEBHOOK = uuid_part("webhook_id")
router.route("data/webhooks", webhook_api.WebhookListView.as_view(), "webhooks")
router.route(f"data/webhooks/{WEBHOOK}", webhook_api.WebhookDetailView.as_view(), "webhook")
router.route(f"data/webhooks/{WEBHOOK}/deliveries", webhook_api.WebhookDeliveriesView.as_view(), "webhook-deliveries")
router.route(
    f"data/webhooks/{WEBHOOK}/deliveries/(?P<delivery_id>[0-9]+)/redeliver",
    webhook_api.WebhookRedeliverView.as_view(),
    "webhook-redeliver",
)

urlpatterns = [path("", auth_views.ApiRootView.as_view(), name="api-root"), *router.urls]
