"""The artist's own view (`data/user/...`, gazu's user module): the logged-in
person's tasks, the projects, breakdown and task types around them, and
their time. Every list holds the caller's own tasks only, in the projects
they still see; an entity or project of the URL they cannot see is 404.
Routed in production.api.urls; clearing one's avatar is in files.api."""

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework.response import Response

from production import filtersets, querysets
from production.api import serializers
from production.api.action_views import url_date
from production.api.task_list_views import TASK_TYPES, TASKS_IN_CONTEXT, TASKS_WITH_NAMES, TaskListsViewSet
from production.models import (
    OPEN_STATUS_NAMES,
    Asset,
    AssetType,
    Department,
    Episode,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from zou_site.api.params import visible_or_404


class UserTasksViewSet(TaskListsViewSet):
    """Lists of the caller's own tasks and of what holds them."""

    def mine(self, queryset=None):
        return querysets.tasks_assigned_to(self.request.user, queryset)

    def entities(self, model, serializer_class, filterset_class, queryset, depth=0):
        rows = querysets.entities_with_tasks_of(self.request.user, queryset, depth)
        return self.list_response(querysets.entities_for_api(self.request.user, rows), serializer_class, filterset_class)

    @extend_schema(responses=TASKS_IN_CONTEXT, description="Your unfinished tasks in open projects.")
    def tasks(self, request):
        return self.tasks_in_context(querysets.open_project_tasks(self.mine()).filter(task_status__is_done=False))

    @extend_schema(responses=TASKS_IN_CONTEXT, description="Your finished tasks in open projects, last finished first.")
    def done_tasks(self, request):
        done = querysets.open_project_tasks(self.mine()).filter(task_status__is_done=True)
        return self.tasks_in_context(done.order_by("-end_date", "-updated_at", "id"))

    @extend_schema(
        responses=TASKS_IN_CONTEXT,
        description="Tasks waiting for your review in open projects: supervisors (of their departments), managers and admins.",
    )
    def tasks_to_check(self, request):
        return self.tasks_in_context(querysets.tasks_to_check(request.user))

    @extend_schema(responses=serializers.ProjectSerializer(many=True), description="The open projects whose team has you (admins: all).")
    def open_projects(self, request):
        projects = querysets.projects_for_api(request.user).filter(project_status__name__in=OPEN_STATUS_NAMES)
        return self.list_response(projects, serializers.ProjectSerializer, filtersets.ProjectFilterSet)

    @extend_schema(
        responses=inline_serializer("UserContext", {
            "projects": serializers.ProjectSerializer(many=True),
            "asset_types": serializers.AssetTypeSerializer(many=True),
            "task_types": serializers.TaskTypeSerializer(many=True),
            "task_status": serializers.TaskStatusSerializer(many=True),
            "project_status": serializers.ProjectStatusSerializer(many=True),
            "departments": serializers.DepartmentSerializer(many=True),
            "persons": serializers.PersonSerializer(many=True),
        }),
        description="What a client loads at start (gazu's user.get_context): your open projects and the studio's "
        "reference rows, with the persons you may see.",
    )
    def context(self, request):
        person = request.user
        return Response({
            "projects": serializers.ProjectSerializer(
                querysets.projects_for_api(person).filter(project_status__name__in=OPEN_STATUS_NAMES).order_by("name"), many=True
            ).data,
            "asset_types": serializers.AssetTypeSerializer(AssetType.objects.order_by("name"), many=True).data,
            "task_types": serializers.TaskTypeSerializer(TaskType.objects.order_by("priority", "name"), many=True).data,
            "task_status": serializers.TaskStatusSerializer(TaskStatus.objects.order_by("name"), many=True).data,
            "project_status": serializers.ProjectStatusSerializer(ProjectStatus.objects.order_by("name"), many=True).data,
            "departments": serializers.DepartmentSerializer(Department.objects.order_by("name"), many=True).data,
            "persons": serializers.PersonSerializer(querysets.persons_for_api(person).order_by("last_name", "first_name"), many=True).data,
        })

    @extend_schema(responses=serializers.AssetTypeSerializer(many=True), description="The types of the project's assets you have a task on.")
    def project_asset_types(self, request, project_id):
        assets = Asset.objects.filter(project=self.project(), id__in=self.mine().values("entity_id"))
        return self.list_response(querysets.asset_types_of(assets), serializers.AssetTypeSerializer, filtersets.AssetTypeFilterSet)

    @extend_schema(responses=serializers.AssetSerializer(many=True), description="The project's assets of this type you have a task on.")
    def project_assets(self, request, project_id, asset_type_id):
        asset_type = self.url_row(AssetType.objects.all(), "asset_type_id", "Asset type")
        assets = Asset.objects.filter(project=self.project(), entity_type=asset_type)
        return self.entities(Asset, serializers.AssetSerializer, filtersets.AssetFilterSet, assets)

    @extend_schema(responses=serializers.EpisodeSerializer(many=True), description="The project's episodes holding one of your tasks.")
    def project_episodes(self, request, project_id):
        episodes = Episode.objects.filter(project=self.project())
        return self.entities(Episode, serializers.EpisodeSerializer, filtersets.EpisodeFilterSet, episodes, depth=2)

    @extend_schema(responses=serializers.SequenceSerializer(many=True), description="The project's sequences holding one of your tasks.")
    def project_sequences(self, request, project_id):
        sequences = Sequence.objects.filter(project=self.project())
        return self.entities(Sequence, serializers.SequenceSerializer, filtersets.SequenceFilterSet, sequences, depth=1)

    @extend_schema(responses=serializers.ShotSerializer(many=True), description="The sequence's shots you have a task on.")
    def sequence_shots(self, request, sequence_id):
        shots = Shot.objects.filter(parent=self.entity(Sequence, "sequence_id", "Sequence"))
        return self.entities(Shot, serializers.ShotSerializer, filtersets.ShotFilterSet, shots)

    def entity_of_url(self):
        kwarg = next(key for key in ("sequence_id", "shot_id", "asset_id") if key in self.kwargs)
        model, label = {"sequence_id": (Sequence, "Sequence"), "shot_id": (Shot, "Shot"), "asset_id": (Asset, "Asset")}[kwarg]
        return self.entity(model, kwarg, label)

    @extend_schema(responses=TASKS_WITH_NAMES, description="Your tasks on this entity.")
    def entity_tasks(self, request, **ids):
        return self.tasks_with_names(self.mine(Task.objects.filter(entity=self.entity_of_url())))

    @extend_schema(responses=TASK_TYPES, description="The task types of your tasks on this entity.")
    def entity_task_types(self, request, **ids):
        used = querysets.task_types_of(self.mine(Task.objects.filter(entity=self.entity_of_url())))
        return self.list_response(used, serializers.TaskTypeSerializer, filtersets.TaskTypeFilterSet)


class UserTimeSpentsViewSet(TaskListsViewSet):
    serializer_class = serializers.TimeSpentSerializer
    filterset_class = filtersets.TimeSpentRangeFilterSet

    def mine(self):
        return querysets.time_spents_for_api(self.request.user, TimeSpent.objects.filter(person=self.request.user))

    @extend_schema(
        responses=serializers.TimeSpentSerializer(many=True),
        description="Your time spent, from `start_date` to `end_date` (both included, each optional).",
        parameters=[OpenApiParameter("start_date", str), OpenApiParameter("end_date", str)],
    )
    def time_spents(self, request):
        return self.list_response(self.mine().order_by("date", "id"))

    @extend_schema(responses=serializers.TimeSpentSerializer(many=True), description="Your time spent on one day.")
    def day_time_spents(self, request, date):
        return self.list_response(self.mine().filter(date=url_date(date)).order_by("id"))

    @extend_schema(
        responses=serializers.TimeSpentSerializer,
        description="Your time spent on a task on one day; `null` when you logged none (as Zou answers, and gazu expects).",
    )
    def task_day_time_spent(self, request, task_id, date):
        task = visible_or_404(querysets.visible_tasks(request.user), task_id, "Task")
        row = self.mine().filter(task=task, date=url_date(date)).first()
        if row is None:
            return JsonResponse(None, safe=False)  # `null`: DRF would answer an empty body
        return Response(serializers.TimeSpentSerializer(row).data)
