"""Zou's task lists as gazu's task module reads them (issue 15): a project's,
a sequence's or an episode's tasks, a person's, the open tasks, a project's
comments, and the bulk deletions. Each list goes through list_response, its
rows narrowed to what the caller sees; the row of the URL answers 404 when
the caller cannot see it. Routed in production.api.urls."""

from django.db.models import Count, Max, Min, Q, Sum
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from production import filtersets, permissions, querysets, services
from production.api import serializers
from production.api.action_serializers import TaskIdsRequestSerializer, list_body
from production.api.views import ProductionViewSet
from production.models import Asset, Comment, Entity, Episode, Person, Sequence, Shot, Task, TaskStatus, TaskType
from zou_site.api.pagination import ZouPagination
from zou_site.api.params import visible_or_404

TASKS = serializers.TaskSerializer(many=True)
TASKS_WITH_NAMES = serializers.TaskWithNamesSerializer(many=True)
TASKS_IN_CONTEXT = serializers.TaskInContextSerializer(many=True)
TASK_TYPES = serializers.TaskTypeSerializer(many=True)


class OpenTasksPagination(ZouPagination):
    """Zou's open-tasks answer is always one page: `{"data", "stats", "limit",
    "is_more"}` (with our page keys beside them); the first page unless
    ?page is given. `stats` sums the whole filtered list, not the page."""

    def requested_page(self, request):
        return super().requested_page(request) or "1"

    def paginate_queryset(self, queryset, request, view=None):
        self.stats = queryset.aggregate(total_duration=Sum("duration"), total_estimation=Sum("estimation"))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        page = self.page
        response.data["stats"] = {
            "total": page.paginator.count,
            "total_duration": self.stats["total_duration"] or 0,
            "total_estimation": self.stats["total_estimation"] or 0,
        }
        response.data["is_more"] = page.has_next()
        return response


class TaskListsViewSet(ProductionViewSet):
    """The task lists; each action is one GET route (see production.api.urls)."""

    serializer_class = serializers.TaskSerializer
    filterset_class = filtersets.TaskListFilterSet
    fast_list = True

    def api_queryset(self, person):
        return querysets.tasks_for_api(person)

    def url_row(self, queryset, kwarg, label):
        return visible_or_404(queryset, self.kwargs[kwarg], label)

    def project(self):
        return self.url_row(querysets.visible_projects(self.request.user), "project_id", "Project")

    def entity(self, model, kwarg, label):
        return self.url_row(querysets.visible_entities(self.request.user, model.objects.all()), kwarg, label)

    def task_rows(self, queryset, serializer_class=serializers.TaskSerializer, shape=querysets.tasks_for_api):
        return self.list_response(shape(self.request.user, queryset), serializer_class)

    def tasks_with_names(self, queryset):
        return self.task_rows(queryset, serializers.TaskWithNamesSerializer, querysets.tasks_with_names)

    def tasks_in_context(self, queryset):
        return self.task_rows(queryset, serializers.TaskInContextSerializer, querysets.tasks_in_context)

    def task_types(self, tasks):
        used = querysets.task_types_of(querysets.visible_tasks(self.request.user, tasks))
        return self.list_response(used, serializers.TaskTypeSerializer, filtersets.TaskTypeFilterSet)

    @extend_schema(responses=TASKS, description="The project's tasks; `task_type_id` and `episode_id` narrow them.")
    def project_tasks(self, request, project_id):
        return self.task_rows(Task.objects.filter(project=self.project()))

    @extend_schema(responses=TASKS_WITH_NAMES, description="The tasks of the sequence itself.")
    def sequence_tasks(self, request, sequence_id):
        return self.tasks_with_names(Task.objects.filter(entity=self.entity(Sequence, "sequence_id", "Sequence")))

    @extend_schema(responses=TASKS_WITH_NAMES, description="The tasks of the sequence's shots.")
    def sequence_shot_tasks(self, request, sequence_id):
        sequence = self.entity(Sequence, "sequence_id", "Sequence")
        return self.tasks_with_names(Task.objects.filter(entity__in=Shot.objects.filter(parent=sequence).values("id")))

    @extend_schema(responses=TASK_TYPES, description="The task types of the sequence's and its shots' tasks.")
    def sequence_task_types(self, request, sequence_id):
        sequence = self.entity(Sequence, "sequence_id", "Sequence")
        return self.task_types(Task.objects.filter(Q(entity=sequence) | Q(entity__parent=sequence)))

    @extend_schema(responses=TASKS_WITH_NAMES, description="The tasks of the episode itself.")
    def episode_tasks(self, request, episode_id):
        return self.tasks_with_names(Task.objects.filter(entity=self.entity(Episode, "episode_id", "Episode")))

    @extend_schema(responses=TASKS_WITH_NAMES, description="The tasks of the shots of the episode's sequences.")
    def episode_shot_tasks(self, request, episode_id):
        episode = self.entity(Episode, "episode_id", "Episode")
        return self.tasks_with_names(Task.objects.filter(entity__in=Shot.objects.filter(parent__parent=episode).values("id")))

    @extend_schema(responses=TASKS_WITH_NAMES, description="The tasks of the assets cast in the episode's shots.")
    def episode_asset_tasks(self, request, episode_id):
        episode = self.entity(Episode, "episode_id", "Episode")
        cast = Asset.objects.filter(entities_in__parent__parent=episode).values("id")
        return self.tasks_with_names(Task.objects.filter(entity__in=cast))

    @extend_schema(responses=TASK_TYPES, description="The task types of the tasks of the episode, its sequences, their shots and cast assets.")
    def episode_task_types(self, request, episode_id):
        episode = self.entity(Episode, "episode_id", "Episode")
        return self.task_types(Task.objects.filter(querysets.in_episode(episode.id)))

    @extend_schema(responses=serializers.AssetTypeSerializer(many=True), description="The types of the assets cast in the shot.")
    def shot_asset_types(self, request, shot_id):
        shot = self.entity(Shot, "shot_id", "Shot")
        used = querysets.asset_types_of(Asset.objects.filter(entities_in=shot))
        return self.list_response(used, serializers.AssetTypeSerializer, filtersets.AssetTypeFilterSet)

    @extend_schema(responses=TASKS, description="The entity's tasks of one type.")
    def entity_task_type_tasks(self, request, entity_id, task_type_id):
        entity = self.entity(Entity, "entity_id", "Entity")
        task_type = self.url_row(TaskType.objects.all(), "task_type_id", "Task type")
        return self.task_rows(Task.objects.filter(entity=entity, task_type=task_type))

    def person(self):
        return self.url_row(Person.objects.all(), "person_id", "Person")

    @extend_schema(responses=TASKS_IN_CONTEXT, description="The person's unfinished tasks in open projects (those the caller sees).")
    def person_tasks(self, request, person_id):
        tasks = Task.objects.filter(assignees=self.person(), task_status__is_done=False)
        return self.tasks_in_context(querysets.open_project_tasks(tasks))

    @extend_schema(responses=TASKS_IN_CONTEXT, description="The person's finished tasks in open projects (those the caller sees).")
    def person_done_tasks(self, request, person_id):
        tasks = Task.objects.filter(assignees=self.person(), task_status__is_done=True)
        return self.tasks_in_context(querysets.open_project_tasks(tasks))

    @extend_schema(responses=TASKS, description="Tasks of this type on the entities where the person has a task (open projects).")
    def person_related_tasks(self, request, person_id, task_type_id):
        task_type = self.url_row(TaskType.objects.all(), "task_type_id", "Task type")
        return self.task_rows(querysets.related_tasks(self.person(), task_type))



class OpenTasksViewSet(TaskListsViewSet):
    pagination_class = OpenTasksPagination

    @extend_schema(
        responses=inline_serializer(
            "OpenTasksPage",
            {
                "data": serializers.TaskInContextSerializer(many=True),
                "stats": drf_serializers.DictField(child=drf_serializers.IntegerField(), help_text="total, total_duration, total_estimation"),
                "is_more": drf_serializers.BooleanField(),
                **{key: drf_serializers.IntegerField() for key in ("limit", "total", "nb_pages", "offset", "page")},
            },
        ),
        description="Unfinished tasks of open projects, always as a page: `{data, stats, limit, is_more, ...}`. "
        "Filters: any task field, `person_id` (an assignee), `episode_id`.",
        parameters=[OpenApiParameter("person_id", OpenApiTypes.UUID), OpenApiParameter("episode_id", OpenApiTypes.UUID)],
    )
    def open_tasks(self, request):
        tasks = querysets.open_project_tasks().filter(task_status__is_done=False)
        return self.tasks_in_context(tasks)


STATS_ROW = dict.fromkeys(("amount", "amount_done", "total_duration", "total_estimation"), 0)
_FIGURES = {key: {"type": "integer"} for key in STATS_ROW}
_IDS = {key: {"type": "string", "format": "uuid"} for key in ("project_id", "task_type_id", "task_status_id")}
OPEN_TASKS_STATS = {
    "type": "object",
    "description": "Keyed by project id.",
    "additionalProperties": {
        "type": "object",
        "properties": {**_FIGURES, "task_types": {"type": "array", "items": {"type": "object", "properties": {**_IDS, **_FIGURES}}}},
    },
}


class TaskStatsViewSet(ProductionViewSet):
    """Figures over the tasks of open projects the caller sees (gazu's
    get_open_tasks_stats and get_persons_tasks_dates): one query each."""

    serializer_class = serializers.TaskSerializer

    def open_tasks(self):
        return querysets.visible_tasks(self.request.user, querysets.open_project_tasks())

    @extend_schema(
        responses={200: OPEN_TASKS_STATS},
        description="Per open project: its tasks counted, done ones counted, durations and estimations summed, in "
        "all and per task type and status.",
    )
    def open_tasks_stats(self, request):
        rows = (
            self.open_tasks()
            .values("project_id", "task_type_id", "task_status_id")
            .annotate(
                amount=Count("id"), amount_done=Count("id", filter=Q(task_status__is_done=True)),
                total_duration=Sum("duration"), total_estimation=Sum("estimation"),
            )
            .order_by("project_id", "task_type_id", "task_status_id")
        )
        projects = {}
        for row in rows:
            row = {**row, **{key: str(row[key]) for key in ("project_id", "task_type_id", "task_status_id")}}
            project = projects.setdefault(row["project_id"], {**STATS_ROW, "task_types": []})
            for key in STATS_ROW:
                project[key] += row[key] or 0
            project["task_types"].append(row)
        return Response(projects)

    @extend_schema(
        responses=inline_serializer("PersonTasksDates", {
            "person_id": drf_serializers.UUIDField(), "min_date": drf_serializers.DateField(), "max_date": drf_serializers.DateField(),
        }, many=True),
        description="For each active person you see with tasks in open projects: the first start date and the last due date.",
    )
    def persons_tasks_dates(self, request):
        rows = (
            self.open_tasks()
            .filter(assignees__active=True, assignees__in=querysets.visible_persons(request.user))
            .values("assignees")
            .annotate(min_date=Min("start_date"), max_date=Max("due_date"))
            .order_by("assignees")
        )
        return Response([{"person_id": str(row["assignees"]), "min_date": row["min_date"], "max_date": row["max_date"]} for row in rows])


class ProjectCommentsViewSet(ProductionViewSet):
    serializer_class = serializers.CommentSerializer
    filterset_class = filtersets.CommentFilterSet
    fast_list = True

    @extend_schema(responses=serializers.CommentSerializer(many=True), description="The comments on the project's tasks, newest first.")
    def project_comments(self, request, project_id):
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        tasks = Task.objects.filter(project=project).values("id")
        comments = querysets.visible_comments(request.user, Comment.objects.filter(object_id__in=tasks))
        return self.list_response(comments.order_by("-created_at", "-id"))


class TaskStatusIdSerializer(drf_serializers.Serializer):
    task_status_id = drf_serializers.PrimaryKeyRelatedField(queryset=TaskStatus.objects.all())


class ProjectTaskStatusesViewSet(ProductionViewSet):
    """A project's settings as gazu reads them: its statuses and task types."""

    serializer_class = serializers.TaskStatusSerializer
    filterset_class = filtersets.TaskStatusFilterSet
    # An unseen project is a 404 before the role's 403.
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=serializers.TaskStatusSerializer(many=True), description="The task statuses the project uses: every status.")
    def project_task_statuses(self, request, project_id):
        visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        return self.list_response(TaskStatus.objects.all(), fast=True)

    @extend_schema(
        request=TaskStatusIdSerializer,
        responses={201: serializers.ProjectSerializer},
        description="gazu's add_task_status (managers and admins): every project uses every status, so this "
        "checks the status exists and answers the project, as Zou does.",
    )
    def project_task_status_add(self, request, project_id):
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        permissions.require(permissions.may_manage(request.user), "Only managers and admins change a project's settings.")
        body = TaskStatusIdSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = querysets.projects_for_api(request.user).get(pk=project.pk)
        return Response(serializers.ProjectSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TASK_TYPES, description="The task types of the project's tasks (gazu's get_project_task_types).")
    def project_task_types(self, request, project_id):
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        used = TaskType.objects.filter(tasks__project=project).distinct()
        return self.list_response(used, serializers.TaskTypeSerializer, filtersets.TaskTypeFilterSet, fast=True)


TASK_ID_LIST = {"application/json": {"type": "array", "items": {"type": "string", "format": "uuid"}}}


class TasksDeleteViewSet(ProductionViewSet):
    """Bulk deletion (managers and admins): each task goes with its comments,
    time spent and files; all or nothing."""

    serializer_class = serializers.TaskSerializer
    # Any person may ask: an unseen project is a 404 before the role's 403.
    permission_classes = [IsAuthenticated]

    def project(self, request, project_id):
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        permissions.require(permissions.may_delete_in_bulk(request.user), "Only managers and admins delete tasks in bulk.")
        return project

    @extend_schema(
        request=TASK_ID_LIST,
        responses={200: TASK_ID_LIST["application/json"]},
        description="Delete the listed tasks of the project: any id that is not a task of it is a 400 and nothing is deleted.",
    )
    def delete_tasks(self, request, project_id):
        project = self.project(request, project_id)
        tasks = list_body(request, TaskIdsRequestSerializer, "task_ids", context={"person": request.user})
        deleted = services.tasks_delete(project=project, tasks=tasks)
        return Response([str(task_id) for task_id in deleted])

    @extend_schema(request=None, responses={204: None}, description="Delete every task of this type in the project.")
    def delete_task_type_tasks(self, request, project_id, task_type_id):
        project = self.project(request, project_id)
        task_type = visible_or_404(TaskType.objects.all(), task_type_id, "Task type")
        services.tasks_delete(project=project, tasks=Task.objects.filter(project=project, task_type=task_type))
        return Response(status=status.HTTP_204_NO_CONTENT)
