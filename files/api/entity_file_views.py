"""The files of an entity as gazu records them (issue 15): Zou's entity
routes name a task type, the output lands on the entity's task of that
type (files.file_trees.entity_output_task). And a working file saved again."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from files import file_trees, publishing, querysets
from files.api.file_serializers import (
    ERRORS,
    EntityOutputFileNewRequestSerializer,
    EntityOutputFilePathRequestSerializer,
    OutputFilePathSerializer,
    RecordedOutputFileSerializer,
)
from files.api.path_views import known_row, recording_person, validated_data
from files.api.serializers import WorkingFileSerializer
from files.models import FileStatus
from production import permissions
from production.models import Entity, TaskType
from production.querysets import visible_entities
from zou_site.api.params import visible_or_404


def _entity(request, entity_id):
    # project: <Project>; entity_type, parents: the kind, <AssetType>, <Sequence>, <Episode>.
    entities = Entity.objects.select_related("project", "entity_type", "parent__parent")
    return visible_or_404(visible_entities(request.user, entities), entity_id, "Entity")


def _task_type(data):
    return known_row(TaskType.objects.select_related("department"), data["task_type_id"], "task_type_id")


class EntityOutputFilePathView(APIView):
    """`POST data/entities/<id>/output-file-path`: where an output of the
    entity for a task type and output type goes; names nothing on disk."""

    @extend_schema(request=EntityOutputFilePathRequestSerializer, responses={200: OutputFilePathSerializer, **ERRORS})
    def post(self, request, entity_id):
        entity = _entity(request, entity_id)
        data = validated_data(EntityOutputFilePathRequestSerializer, request.data)
        folder, file_name = file_trees.entity_output_file_path(
            person=request.user, entity=entity, task_type=_task_type(data), output_type_id=data.get("output_type_id"),
            mode=data["mode"], name=data["name"], revision=data["revision"], sep=data["sep"],
        )
        return Response({"folder_path": folder, "file_name": file_name})


class EntityOutputFileNewView(APIView):
    """`POST data/entities/<id>/output-files/new`: the next (or given) output
    revision of the entity for a task type and output type, path from the tree."""

    @extend_schema(request=EntityOutputFileNewRequestSerializer, responses={201: RecordedOutputFileSerializer, **ERRORS})
    # One transaction with the default output type and file status the look-ups may create.
    @transaction.atomic
    def post(self, request, entity_id):
        entity = _entity(request, entity_id)
        data = validated_data(EntityOutputFileNewRequestSerializer, request.data)
        working_file = None
        if data.get("working_file_id"):
            working_file = visible_or_404(
                querysets.visible_working_files(request.user).select_related("software"), data["working_file_id"],
                "Working file",
            )
        task = file_trees.entity_output_task(
            person=request.user, entity=entity, task_type=_task_type(data), working_file=working_file
        )
        permissions.require_act_on_task(request.user, task)
        person = recording_person(request, data.get("person_id"), "an output file")
        recorded = publishing.entity_output_file_create(
            task=task, person=person, output_type=file_trees.output_type_get(data.get("output_type_id")),
            name=data["name"], comment=data["comment"], revision=data["revision"], mode=data["mode"], sep=data["sep"],
            representation=data["representation"], nb_elements=data["nb_elements"], working_file=working_file,
            file_status=known_row(FileStatus.objects.all(), data["file_status_id"], "file_status_id")
            if data.get("file_status_id") else None,
        )
        return Response(RecordedOutputFileSerializer(recorded).data, status=status.HTTP_201_CREATED)


class WorkingFileModifiedView(APIView):
    """`PUT actions/working-files/<id>/modified`: the file was saved again now."""

    @extend_schema(request=None, responses={200: WorkingFileSerializer, **ERRORS})
    def put(self, request, working_file_id):
        working_file = visible_or_404(
            querysets.visible_working_files(request.user).select_related("task"), working_file_id, "Working file"
        )
        # A working file without a task is visible to managers and admins only.
        if working_file.task is not None:
            permissions.require_act_on_task(request.user, working_file.task)
        return Response(WorkingFileSerializer(publishing.working_file_touch(working_file=working_file)).data)
