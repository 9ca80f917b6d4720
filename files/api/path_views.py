"""File trees, paths, working and output files, publish (DESIGN §5, §6).

Each view serves both URL dialects: the seed's names the task or project
in the body, Zou's (gazu's) in the URL. Thin: parse, find the rows the
caller may see, call a service, answer.
"""


from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from files import file_trees, publishing, querysets
from files.api.file_serializers import (
    ERRORS,
    EntityNextRevisionRequestSerializer,
    FilePathRequestSerializer,
    FilePathSerializer,
    FolderPathRequestSerializer,
    FolderPathSerializer,
    FromPathRequestSerializer,
    MessageSerializer,
    NextRevisionSerializer,
    PublicationSerializer,
    PublishRequestSerializer,
    RecordedWorkingFileSerializer,
    SetTreeRequestSerializer,
    TaskNextRevisionRequestSerializer,
    WorkingFileCommentRequestSerializer,
    WorkingFileNewRequestSerializer,
)
from files.api.serializers import WorkingFileSerializer
from production import permissions
from production.api.serializers import ProjectSerializer, TaskSerializer
from production.models import Entity, Person, TaskType
from production.querysets import visible_entities, visible_projects
from zou_site.api.errors import ApiError
from zou_site.api.params import visible_or_404


def _required_id(view, data, key):
    """The id from Zou's URL, else from the seed dialect's body."""
    value = view.kwargs.get(key) or data.get(key)
    if value is None:
        raise ApiError(f"{key}: This field is required.", errors={key: ["This field is required."]})
    return value


def validated_data(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def known_row(queryset, row_id, field):
    """The row a body names by id: an unknown id is a 400 naming the field."""
    row = queryset.filter(pk=row_id).first()
    if row is None:
        raise ApiError(f"Unknown {field} '{row_id}'.", errors={field: ["Unknown id."]})
    return row


def recording_person(request, person_id, what):
    """Who a file is recorded for: the caller, or (managers and admins only)
    the person the body names."""
    person = request.user
    if person_id and person_id != person.pk:
        permissions.require(
            permissions.may_act_for_someone_else(person),
            f"Only managers and admins may record {what} for someone else.",
        )
        person = known_row(Person.objects.all(), person_id, "person_id")
    return person


def _task(view, data):
    task_id = _required_id(view, data, "task_id")
    return visible_or_404(querysets.tasks_for_paths(view.request.user), task_id, "Task")


class SetFileTreeView(APIView):
    """`POST project/set-tree {project_id, tree_name}` [`actions/projects/<id>/set-file-tree`]."""

    permission_classes = [permissions.IsManagerOrAdmin]

    @extend_schema(request=SetTreeRequestSerializer, responses={200: ProjectSerializer, **ERRORS})
    def post(self, request, project_id=None):
        data = validated_data(SetTreeRequestSerializer, request.data)
        project = visible_or_404(visible_projects(request.user), _required_id(self, data, "project_id"), "Project")
        project = file_trees.project_set_file_tree(
            project=project, tree_name=data.get("tree_name"), file_tree=data.get("file_tree")
        )
        return Response(ProjectSerializer(project).data)


def _path_options(data):
    """The body, less the seed dialect's task_id, as the path services take it."""
    return {key: value for key, value in data.items() if key != "task_id"}


class FolderPathView(APIView):
    """`POST project/tree/folder` [`data/tasks/<id>/folder-path`]: the folder a task's files go in."""

    @extend_schema(request=FolderPathRequestSerializer, responses={200: FolderPathSerializer, **ERRORS})
    def post(self, request, task_id=None):
        data = validated_data(FolderPathRequestSerializer, request.data)
        return Response({"path": file_trees.task_folder_path(task=_task(self, data), **_path_options(data))})


class FilePathView(APIView):
    """`POST project/tree/file` [`data/tasks/<id>/file-path`, `data/tasks/<id>/working-file-path`]."""

    @extend_schema(request=FilePathRequestSerializer, responses={200: FilePathSerializer, **ERRORS})
    def post(self, request, task_id=None):
        data = validated_data(FilePathRequestSerializer, request.data)
        folder, file_name = file_trees.task_file_path(task=_task(self, data), **_path_options(data))
        return Response({"path": folder, "name": file_name})


class WorkingFileNewView(APIView):
    """`POST data/tasks/<id>/working-files/new`: the next (or given) revision, path from the tree."""

    @extend_schema(
        request=WorkingFileNewRequestSerializer, responses={201: RecordedWorkingFileSerializer, **ERRORS}
    )
    # One transaction with the default software the look-up may create: a
    # request that fails or dies half-way leaves no row behind.
    @transaction.atomic
    def post(self, request, task_id):
        data = validated_data(WorkingFileNewRequestSerializer, request.data)
        task = _task(self, {})
        permissions.require_act_on_task(request.user, task)
        person = recording_person(request, data.get("person_id"), "a working file")
        recorded = publishing.working_file_create(
            task=task, person=person, name=data["name"], comment=data["comment"], revision=data["version"],
            mode=data["mode"], sep=data["sep"], software=file_trees.software_get(data.get("software_id")),
        )
        return Response(RecordedWorkingFileSerializer(recorded).data, status=status.HTTP_201_CREATED)


class WorkingFileListView(APIView):
    """`GET data/tasks/<id>/working-files`: every revision, by name then newest first."""

    @extend_schema(responses={200: WorkingFileSerializer(many=True), 404: MessageSerializer})
    def get(self, request, task_id):
        task = _task(self, {})
        return Response(WorkingFileSerializer(querysets.working_files_of_task(task), many=True).data)


class LastWorkingFilesView(APIView):
    """`GET data/tasks/<id>/last-working-files` [`working-files/last-revisions`]:
    an object keyed by working-file name holding the highest revision of each."""

    @extend_schema(
        responses={
            200: {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/WorkingFile"}},
            404: MessageSerializer,
        }
    )
    def get(self, request, task_id):
        task = _task(self, {})
        rows = WorkingFileSerializer(querysets.last_working_files_of_task(task), many=True).data
        return Response({row["name"]: row for row in rows})


class WorkingFileCommentView(APIView):
    """`PUT actions/working-files/<id>/comment {comment}`."""

    @extend_schema(request=WorkingFileCommentRequestSerializer, responses={200: WorkingFileSerializer, **ERRORS})
    def put(self, request, working_file_id):
        data = validated_data(WorkingFileCommentRequestSerializer, request.data)
        working_file = visible_or_404(
            querysets.visible_working_files(request.user).select_related("task"), working_file_id, "Working file"
        )
        # A working file without a task is visible to managers and admins only.
        if working_file.task is not None:
            permissions.require_act_on_task(request.user, working_file.task)
        working_file = publishing.working_file_update_comment(working_file=working_file, comment=data["comment"])
        return Response(WorkingFileSerializer(working_file).data)


class PublishView(APIView):
    """`POST project/files/working-files/publish`: working and output revisions,
    task to "To review", and where the preview goes."""

    @extend_schema(request=PublishRequestSerializer, responses={201: PublicationSerializer, **ERRORS})
    # One transaction with the default software and output type the look-ups
    # may create: a publish that fails or dies half-way leaves no row behind.
    @transaction.atomic
    def post(self, request):
        data = validated_data(PublishRequestSerializer, request.data)
        task = _task(self, data)
        permissions.require_act_on_task(request.user, task)
        publication = publishing.working_file_publish(
            task=task, person=request.user, name=data["name"], comment=data["comment"],
            working_file_revision=data["working_file_revision"], sep=data["sep"],
            software=file_trees.software_get(data.get("software_id")),
            output_type=file_trees.output_type_get(data.get("output_type_id")),
        )
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


class TaskFromPathView(APIView):
    """`POST data/tasks/from-path {file_path, project_id?, type?, mode?, sep?}`: the task a folder belongs to."""

    @extend_schema(request=FromPathRequestSerializer, responses={200: TaskSerializer, **ERRORS})
    def post(self, request):
        data = validated_data(FromPathRequestSerializer, request.data)
        project = None
        if data.get("project_id"):
            project = visible_or_404(visible_projects(request.user), data["project_id"], "Project")
        task = file_trees.task_find_by_path(
            person=request.user, path=data["file_path"], mode=data["mode"], sep=data["sep"], project=project,
            kind=data.get("type"),
        )
        return Response(TaskSerializer(task).data)


class TaskNextOutputRevisionView(APIView):
    """`GET|POST data/tasks/<id>/output-files/next-revision {output_type_id?}`."""

    def _answer(self, data):
        task = _task(self, {})
        output_type = file_trees.output_type_get(data.get("output_type_id"))
        last = querysets.last_output_revision(entity=task.entity, task=task, output_type=output_type)
        return Response({"next_revision": last + 1})

    @extend_schema(parameters=[TaskNextRevisionRequestSerializer], responses={200: NextRevisionSerializer, **ERRORS})
    def get(self, request, task_id):
        return self._answer(validated_data(TaskNextRevisionRequestSerializer, request.query_params))

    @extend_schema(request=TaskNextRevisionRequestSerializer, responses={200: NextRevisionSerializer, **ERRORS})
    def post(self, request, task_id):
        return self._answer(validated_data(TaskNextRevisionRequestSerializer, request.data))


class EntityNextOutputRevisionView(APIView):
    """`POST data/entities/<id>/output-files/next-revision {task_type_id, output_type_id}` (gazu's
    get_next_entity_output_revision): counts over the entity's tasks of that type."""

    @extend_schema(
        request=EntityNextRevisionRequestSerializer, responses={200: NextRevisionSerializer, **ERRORS}
    )
    def post(self, request, entity_id):
        data = validated_data(EntityNextRevisionRequestSerializer, request.data)
        entity = visible_or_404(visible_entities(request.user, Entity.objects.all()), entity_id, "Entity")
        task_type = known_row(TaskType.objects.all(), data["task_type_id"], "task_type_id")
        output_type = file_trees.output_type_get(data.get("output_type_id"))
        last = querysets.last_output_revision(entity=entity, task_type=task_type, output_type=output_type)
        return Response({"next_revision": last + 1})
