"""The entities' viewsets: episodes, sequences, shots, assets and any entity;
their nested lists go through the same path as the main lists."""

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from production import casting, events, filtersets, querysets, services
from production.api import serializers
from production.api.action_serializers import EntityTasksRequestSerializer
from production.api.views import FORCE_PARAMETER, ProductionViewSet
from production.models import Asset, Entity, Episode, Sequence, Shot, Task, TaskType
from zou_site.api.errors import ApiError
from zou_site.api.params import query_flag, uuid_or_404


def nested(serializer_class, **kwargs):
    """A nested list's action: its shape in the schema, GET only."""

    def decorate(method):
        return extend_schema(responses=serializer_class(many=True))(action(detail=True, **kwargs)(method))

    return decorate


class EntityViewSetBase(ProductionViewSet):
    model = Entity
    force_deletable = False
    fast_list = True
    reuse_compiled = True  # visibility: their projects' ids (querysets.visibility_values)

    def api_queryset(self, person):
        return querysets.entities_for_api(person, self.model.objects.all())

    # `entities_out` is the casting: written through the row, its links' events too.
    def created_events(self, serializer, instance):
        found = super().created_events(serializer, instance)
        if "entities_out" in serializer.validated_data:
            found += casting.entities_out_events(instance, {})
        return found

    def perform_update(self, serializer):
        if "entities_out" not in serializer.validated_data:
            return super().perform_update(serializer)
        with transaction.atomic():
            before = casting.links_of(serializer.instance)
            instance = super().perform_update(serializer)
            events.store(casting.entities_out_events(instance, before))
        return instance

    @extend_schema(parameters=[FORCE_PARAMETER])
    def destroy(self, request, *args, **kwargs):
        # Its type's name is the event's; its casting is deleted, not read.
        instance = self.get_object(querysets.visible_entities(request.user, self.model.objects.select_related("entity_type")))
        force = query_flag(request, "force")
        if force and not self.force_deletable:
            raise ApiError("'force' is only accepted for shots and assets.")
        self._deleting = instance
        services.entity_delete(entity=instance, force=force)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def entity_list(self, model, filterset_class, serializer_class, **narrowing):
        queryset = querysets.entities_for_api(self.request.user, model.objects.filter(**narrowing))
        return self.list_response(queryset, serializer_class, filterset_class, fast=True)

    def task_list(self, pk):
        """The entity's tasks in one query: the task's own project visibility
        is the entity's (a task keeps its entity's project) and its kind is a
        condition on the entity join the names already need, with no
        subquery (which tripled PostgreSQL's planning time). The entity
        itself is looked up only when no task shows (then it is a 404 if
        unseen, else an empty list)."""
        pk = uuid_or_404(pk)
        kind = self.model.objects.kind_q("entity__")

        def tasks_of(person, pk):
            return querysets.tasks_with_names(person, Task.objects.filter(kind, entity_id=pk))

        small = self.small_list(
            f"{self.model.__name__} tasks", tasks_of, (pk,), serializers.TaskWithNamesSerializer, filtersets.TaskFilterSet,
            when_empty=self.get_object,
        )
        if isinstance(small, HttpResponse):
            return small
        return self.list_response(
            tasks_of(self.request.user, pk), serializers.TaskWithNamesSerializer, filtersets.TaskFilterSet, fast=True,
            when_empty=self.get_object, probed=small == "probed",
        )

    def task_type_list(self, entity):
        used = TaskType.objects.filter(tasks__entity=entity).distinct()
        return self.list_response(used, serializers.TaskTypeSerializer, filtersets.TaskTypeFilterSet, fast=True)

    def with_names(self):
        return querysets.entities_with_names(self.request.user, self.model.objects.all())

    def with_tasks(self, serializer_class):
        """Entities with their tasks: entities and tasks are read in the same
        order (entity name, then id) and merged by the fast path, so neither
        list is held in memory and the query count stays fixed. Like
        shots/all and assets/all, a whole project's list, long by nature:
        streamed from cursors without a probe (zou_site.api.fast_rows.SMALL_LIST)."""

        def children(entities):
            tasks = querysets.tasks_for_api(self.request.user, Task.objects.filter(entity__in=entities.values("pk")))
            order = ("entity__name", "entity_id", "task_type__priority", "task_type__name", "name", "id")
            return {"tasks": (tasks.order_by(*order), "entity_id")}

        return self.list_response(
            self.with_names().order_by("name", "id"), serializer_class, fast=True, children=children, probed=True
        )


class EntityViewSet(EntityViewSetBase):
    serializer_class = serializers.EntitySerializer
    filterset_class = filtersets.EntityFilterSet

    @extend_schema(
        request=EntityTasksRequestSerializer,
        responses={201: serializers.TaskSerializer(many=True)},
        description="Create a task of each given type (`task_type_ids`) on the entity.",
    )
    @action(detail=True, methods=["post"], url_path="tasks")
    def tasks(self, request, pk=None):
        entity = self.get_object()
        body = EntityTasksRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = []
        for task_type in body.validated_data["task_type_ids"]:
            created += services.tasks_create_for_entities(task_type=task_type, entities=[entity])
        return Response(serializers.TaskSerializer(created, many=True).data, status=201)


class EpisodeViewSet(EntityViewSetBase):
    model = Episode
    serializer_class = serializers.EpisodeSerializer
    filterset_class = filtersets.EpisodeFilterSet

    @nested(serializers.SequenceSerializer, url_path="sequences")
    def sequences(self, request, pk=None):
        return self.entity_list(Sequence, filtersets.SequenceFilterSet, serializers.SequenceSerializer, parent=self.get_object())

    @nested(serializers.ShotSerializer, url_path="shots")
    def shots(self, request, pk=None):
        return self.entity_list(Shot, filtersets.ShotFilterSet, serializers.ShotSerializer, parent__parent=self.get_object())


class SequenceViewSet(EntityViewSetBase):
    model = Sequence
    serializer_class = serializers.SequenceSerializer
    filterset_class = filtersets.SequenceFilterSet

    @nested(serializers.ShotSerializer, url_path="shots")
    def shots(self, request, pk=None):
        return self.entity_list(Shot, filtersets.ShotFilterSet, serializers.ShotSerializer, parent=self.get_object())


class ShotViewSet(EntityViewSetBase):
    model = Shot
    force_deletable = True
    serializer_class = serializers.ShotSerializer
    filterset_class = filtersets.ShotFilterSet

    @extend_schema(responses=serializers.ShotWithNamesSerializer(many=True))
    @action(detail=False, url_path="all")
    def all(self, request):
        return self.list_response(self.with_names(), serializers.ShotWithNamesSerializer, probed=True)

    @extend_schema(responses=serializers.ShotWithTasksSerializer(many=True))
    @action(detail=False, url_path="with-tasks")
    def with_tasks_list(self, request):
        return self.with_tasks(serializers.ShotWithTasksSerializer)

    @nested(serializers.AssetSerializer, url_path="assets")
    def assets(self, request, pk=None):
        return self.entity_list(Asset, filtersets.AssetFilterSet, serializers.AssetSerializer, entities_in=self.get_object())

    @nested(serializers.TaskWithNamesSerializer, url_path="tasks")
    def tasks(self, request, pk=None):
        return self.task_list(pk)

    @nested(serializers.TaskTypeSerializer, url_path="task_types")
    def task_types(self, request, pk=None):
        return self.task_type_list(self.get_object())


class AssetViewSet(EntityViewSetBase):
    model = Asset
    force_deletable = True
    serializer_class = serializers.AssetSerializer
    filterset_class = filtersets.AssetFilterSet

    @extend_schema(responses=serializers.AssetWithNamesSerializer(many=True))
    @action(detail=False, url_path="all")
    def all(self, request):
        return self.list_response(self.with_names(), serializers.AssetWithNamesSerializer, probed=True)

    @extend_schema(responses=serializers.AssetWithTasksSerializer(many=True))
    @action(detail=False, url_path="with-tasks")
    def with_tasks_list(self, request):
        return self.with_tasks(serializers.AssetWithTasksSerializer)

    @nested(serializers.TaskWithNamesSerializer, url_path="tasks")
    def tasks(self, request, pk=None):
        return self.task_list(pk)

    @nested(serializers.TaskTypeSerializer, url_path="task_types")
    def task_types(self, request, pk=None):
        return self.task_type_list(self.get_object())
