"""The file lists nested under a task, a shot, an entity or a project, as
gazu reads them (issue 15). One viewset whose methods are mapped to plain
routes (files.api.preview_urls), so every list goes through list_response:
strict filters, Zou's page envelope, the fast path; the row of the URL is
found among those the caller sees (404 otherwise)."""

from drf_spectacular.utils import extend_schema

from files import filtersets, querysets
from files.api.serializers import OutputFileSerializer, OutputTypeSerializer, PreviewFileSerializer, WorkingFileSerializer
from files.models import OutputFile, OutputType, PreviewFile, WorkingFile
from production.models import Entity, Shot
from production.querysets import visible_entities, visible_projects, visible_tasks
from zou_site.api.params import visible_or_404
from zou_site.api.viewsets import ZouModelViewSet

PREVIEW_ORDER = ("-revision", "created_at", "id")
OUTPUT_ORDER = ("entity_id", "task__task_type__name", "output_type__name", "name", "-revision", "id")


def _lists(serializer_class):
    return extend_schema(responses=serializer_class(many=True))


class FileListViewSet(ZouModelViewSet):
    http_method_names = ["get", "head", "options"]
    serializer_class = PreviewFileSerializer

    def get_queryset(self):
        # The schema generator asks for one to type the path's ids.
        return PreviewFile.objects.none()

    def _row(self, queryset, key, label):
        return visible_or_404(queryset, self.kwargs[key], label)

    def _entity(self):
        return self._row(visible_entities(self.request.user, Entity.objects.all()), "entity_id", "Entity")

    def _project(self):
        return self._row(visible_projects(self.request.user), "project_id", "Project")

    def _previews(self, **narrowing):
        rows = PreviewFile.objects.filter(**narrowing).order_by(*PREVIEW_ORDER)
        return self.list_response(rows, PreviewFileSerializer, filtersets.PreviewFileFilterSet, fast=True)

    def _outputs(self, rows):
        return self.list_response(
            rows.order_by(*OUTPUT_ORDER), OutputFileSerializer, filtersets.OutputFileFilterSet, fast=True
        )

    @_lists(PreviewFileSerializer)
    def task_previews(self, request, task_id):
        """`GET data/tasks/<id>/previews`: the task's previews, newest revision first."""
        return self._previews(task=self._row(visible_tasks(request.user), "task_id", "Task"))

    @_lists(PreviewFileSerializer)
    def shot_previews(self, request, shot_id):
        """`GET data/shots/<id>/preview-files`: the previews of every task of the shot."""
        shot = self._row(visible_entities(request.user, Shot.objects.all()), "shot_id", "Shot")
        return self._previews(task__entity=shot)

    @_lists(PreviewFileSerializer)
    def project_previews(self, request, project_id):
        """`GET data/projects/<id>/preview-files`."""
        return self._previews(task__project=self._project())

    @_lists(OutputFileSerializer)
    def entity_outputs(self, request, entity_id):
        """`GET data/entities/<id>/output-files` (`?task_type_id`, `?output_type_id`, `?name`...)."""
        return self._outputs(OutputFile.objects.filter(entity=self._entity()))

    @_lists(OutputFileSerializer)
    def entity_last_outputs(self, request, entity_id):
        """`GET data/entities/<id>/output-files/last-revisions`: the highest
        revision of each task type, output type, name and representation."""
        return self._outputs(querysets.last_output_files(OutputFile.objects.filter(entity=self._entity())))

    @_lists(OutputFileSerializer)
    def project_outputs(self, request, project_id):
        """`GET data/projects/<id>/output-files`."""
        return self._outputs(OutputFile.objects.filter(task__project=self._project()))

    @_lists(OutputTypeSerializer)
    def entity_output_types(self, request, entity_id):
        """`GET data/entities/<id>/output-types`: those the entity's output files have."""
        used = OutputType.objects.filter(output_files__entity=self._entity()).distinct().order_by("name", "id")
        return self.list_response(used, OutputTypeSerializer, filtersets.OutputTypeFilterSet, fast=True)

    @_lists(WorkingFileSerializer)
    def entity_working_files(self, request, entity_id):
        """`GET data/entities/<id>/working-files` (`?task_id`, `?name`)."""
        rows = WorkingFile.objects.filter(entity=self._entity()).order_by("name", "-revision", "id")
        return self.list_response(rows, WorkingFileSerializer, filtersets.WorkingFileFilterSet, fast=True)
