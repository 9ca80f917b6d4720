"""One ViewSet per data type (entities: production.api.entity_views); nested
reads and creation helpers are actions, every list through list_response."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from production import filtersets, querysets, services
from production.auth import persons
from production.api import serializers
from production.api.event_views import HistoryMixin
from production.api.event_writes import EventWritesMixin
from production.models import (
    OPEN_STATUS_NAMES,
    Asset,
    AssetType,
    Comment,
    Department,
    EntityType,
    Episode,
    ProjectStatus,
    Sequence,
    Shot,
    TaskStatus,
    TaskType,
)
from zou_site.api.errors import ApiError
from zou_site.api.params import query_flag, visible_or_404
from zou_site.api.routers import uuid_part
from zou_site.api.viewsets import ZouModelViewSet
from zou_site.permissions import RoleWritePermission

FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Delete with its tasks and what hangs on them (managers)."
)


class ProductionViewSet(HistoryMixin, EventWritesMixin, ZouModelViewSet):
    permission_classes = [RoleWritePermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return self.get_serializer_class().Meta.model.objects.none()
        return self.api_queryset(self.request.user)

    def api_queryset(self, person):
        return self.queryset.all()

    def visibility(self):
        """For `reuse_compiled` views, whose api_queryset() depends on the
        person only through querysets.visibility_values()."""
        person = self.request.user
        key, values = querysets.visibility_values(person)
        return key, values, lambda person_id, *project_ids: querysets.seeing(person, person_id, project_ids)

    def created(self, instance, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=201)

    def create_with(self, serializer_class, data):
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self.perform_create(serializer)


class PersonViewSet(ProductionViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    write_roles = ("admin",)

    def api_queryset(self, person):
        return querysets.persons_for_api(person)

    @extend_schema(
        methods=["POST"],
        request=None,
        responses={201: inline_serializer("BotToken", {"access_token": drf_serializers.CharField()})},
        description="A long-lived token for a bot (admins; earlier ones are revoked); 400 for a person who is not a bot.",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None}, description="Revoke a bot's tokens; 400 for a person who is not a bot.")
    @action(detail=True, methods=["post", "delete"], url_path="token")
    def token(self, request, pk=None):
        person = self.get_object()
        if request.method == "DELETE":
            persons.bot_tokens_revoke(bot=person, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"access_token": persons.bot_token_issue(bot=person, actor=request.user)}, status=201)

    def perform_destroy(self, instance):
        self._deleting = instance
        persons.person_delete(person=instance, actor=self.request.user)


class DepartmentViewSet(ProductionViewSet):
    queryset = Department.objects.all()
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filtersets.DepartmentFilterSet


class ProjectStatusViewSet(ProductionViewSet):
    queryset = ProjectStatus.objects.all()
    serializer_class = serializers.ProjectStatusSerializer
    filterset_class = filtersets.ProjectStatusFilterSet


class EntityTypeViewSet(ProductionViewSet):
    queryset = EntityType.objects.all()
    serializer_class = serializers.EntityTypeSerializer
    filterset_class = filtersets.EntityTypeFilterSet


class AssetTypeViewSet(ProductionViewSet):
    queryset = AssetType.objects.all()
    serializer_class = serializers.AssetTypeSerializer
    filterset_class = filtersets.AssetTypeFilterSet


class TaskTypeViewSet(ProductionViewSet):
    queryset = TaskType.objects.all()
    serializer_class = serializers.TaskTypeSerializer
    filterset_class = filtersets.TaskTypeFilterSet


class TaskStatusViewSet(ProductionViewSet):
    queryset = TaskStatus.objects.all()
    serializer_class = serializers.TaskStatusSerializer
    filterset_class = filtersets.TaskStatusFilterSet


class ProjectViewSet(ProductionViewSet):
    fast_list = True  # team ids read as a column, no Person built per member
    reuse_compiled = True  # visibility: the person's id or their projects' (querysets.visibility_values)
    serializer_class = serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet

    def api_queryset(self, person):
        return querysets.projects_for_api(person)

    @extend_schema(responses=serializers.ProjectSerializer(many=True))
    @action(detail=False, url_path="open")
    def open(self, request):
        return self.list_response(self.get_queryset().filter(project_status__name__in=OPEN_STATUS_NAMES))

    @extend_schema(responses=serializers.ProjectSerializer(many=True))
    @action(detail=False, url_path="all")
    def all(self, request):
        return self.list_response(self.get_queryset())

    def parent_project(self):
        """The project of the URL as the parent of a nested list or a new
        row: its own team is not read."""
        return self.get_object(querysets.visible_projects(self.request.user))

    def _children(self, request, model, filterset_class, serializer_class, probed=False, **narrowing):
        """`probed`: a list long by nature (a project's shots or assets) streams
        without a probe (zou_site.api.fast_rows.SMALL_LIST)."""
        project = self.parent_project()
        queryset = querysets.entities_for_api(request.user, model.objects.filter(project=project, **narrowing))
        return self.list_response(queryset, serializer_class, filterset_class, fast=True, probed=probed)

    def _create_child(self, request, serializer_class, **ids):
        """The creation helpers: the project (and asset type) come from the URL."""
        project = self.parent_project()
        if not isinstance(request.data, dict):
            raise ApiError("The body must be a JSON object.")
        data = {**request.data, "project_id": str(project.id), **{k: str(v) for k, v in ids.items()}}
        instance = self.create_with(serializer_class, data)
        return self.created(instance, serializer_class)

    @extend_schema(methods=["GET"], responses=serializers.EpisodeSerializer(many=True))
    @extend_schema(methods=["POST"], request=serializers.EpisodeSerializer, responses={201: serializers.EpisodeSerializer})
    @action(detail=True, methods=["get", "post"], url_path="episodes")
    def episodes(self, request, pk=None):
        if request.method == "POST":
            return self._create_child(request, serializers.EpisodeSerializer)
        return self._children(request, Episode, filtersets.EpisodeFilterSet, serializers.EpisodeSerializer)

    @extend_schema(methods=["GET"], responses=serializers.SequenceSerializer(many=True))
    @extend_schema(methods=["POST"], request=serializers.SequenceSerializer, responses={201: serializers.SequenceSerializer})
    @action(detail=True, methods=["get", "post"], url_path="sequences")
    def sequences(self, request, pk=None):
        if request.method == "POST":
            return self._create_child(request, serializers.SequenceSerializer)
        return self._children(request, Sequence, filtersets.SequenceFilterSet, serializers.SequenceSerializer)

    @extend_schema(methods=["GET"], responses=serializers.ShotSerializer(many=True))
    @extend_schema(methods=["POST"], request=serializers.ShotSerializer, responses={201: serializers.ShotSerializer})
    @action(detail=True, methods=["get", "post"], url_path="shots")
    def shots(self, request, pk=None):
        if request.method == "POST":
            return self._create_child(request, serializers.ShotSerializer)
        return self._children(request, Shot, filtersets.ShotFilterSet, serializers.ShotSerializer, probed=True)

    @extend_schema(responses=serializers.AssetSerializer(many=True))
    @action(detail=True, url_path="assets")
    def assets(self, request, pk=None):
        return self._children(request, Asset, filtersets.AssetFilterSet, serializers.AssetSerializer, probed=True)

    @extend_schema(responses=serializers.AssetTypeSerializer(many=True))
    @action(detail=True, url_path="asset_types")
    def asset_types(self, request, pk=None):
        used = AssetType.objects.filter(entities__project=self.parent_project()).distinct()
        return self.list_response(used, serializers.AssetTypeSerializer, filtersets.AssetTypeFilterSet, fast=True)

    @extend_schema(responses=serializers.TaskTypeSerializer(many=True))
    @action(detail=True, url_path="task_types")
    def task_types(self, request, pk=None):
        used = TaskType.objects.filter(tasks__project=self.parent_project()).distinct()
        return self.list_response(used, serializers.TaskTypeSerializer, filtersets.TaskTypeFilterSet, fast=True)

    @extend_schema(responses=serializers.AssetSerializer(many=True))
    @action(detail=True, url_path=rf"asset_types/{uuid_part('type_id')}/assets")
    def assets_of_type(self, request, pk=None, type_id=None):
        asset_type = visible_or_404(AssetType.objects.all(), type_id, "Asset type")
        return self._children(
            request, Asset, filtersets.AssetFilterSet, serializers.AssetSerializer, entity_type=asset_type
        )

    @extend_schema(request=serializers.AssetSerializer, responses={201: serializers.AssetSerializer})
    @action(detail=True, methods=["post"], url_path=rf"asset-types/{uuid_part('type_id')}/assets/new")
    def new_asset(self, request, pk=None, type_id=None):
        asset_type = visible_or_404(AssetType.objects.all(), type_id, "Asset type")
        return self._create_child(request, serializers.AssetSerializer, entity_type_id=asset_type.id)


class TaskViewSet(ProductionViewSet):
    fast_list = True
    reuse_compiled = True  # visibility: their projects' ids (querysets.visibility_values)
    serializer_class = serializers.TaskSerializer
    filterset_class = filtersets.TaskFilterSet

    def api_queryset(self, person):
        return querysets.tasks_for_api(person)

    def perform_create(self, serializer):
        entity = serializer.validated_data.get("entity")
        extra = {}
        if serializer.validated_data.get("task_status") is None:
            extra["task_status"] = services.task_status_default()
        if serializer.validated_data.get("project") is None and entity is not None:
            extra["project"] = entity.project
        super().perform_create(serializer, **extra)

    @extend_schema(parameters=[FORCE_PARAMETER])
    def destroy(self, request, *args, **kwargs):
        task = self.get_object()
        self._deleting = task
        services.task_delete(task=task, force=query_flag(request, "force"))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=serializers.TaskFullSerializer)
    @action(detail=True, url_path="full")
    def full(self, request, pk=None):
        task = visible_or_404(querysets.task_full_for_api(request.user), pk)
        return Response(serializers.TaskFullSerializer(task).data)

    @extend_schema(responses=serializers.CommentWithPersonSerializer(many=True))
    @action(detail=True, url_path="comments")
    def comments(self, request, pk=None):
        task = self.get_object()
        queryset = querysets.comments_for_api(request.user, Comment.objects.filter(object_id=task.id))
        return self.list_response(queryset, serializers.CommentWithPersonSerializer, filtersets.CommentFilterSet, fast=True)


class CommentViewSet(ProductionViewSet):
    serializer_class = serializers.CommentSerializer
    filterset_class = filtersets.CommentFilterSet

    def api_queryset(self, person):
        return querysets.visible_comments(person)


class TimeSpentViewSet(ProductionViewSet):
    serializer_class = serializers.TimeSpentSerializer
    filterset_class = filtersets.TimeSpentFilterSet

    def api_queryset(self, person):
        return querysets.time_spents_for_api(person)

