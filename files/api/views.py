"""CRUD for the files data types; file trees and publishing live in path_views."""

from files import filtersets, previews
from files.api import serializers
from files.models import (
    FileStatus,
    OutputFile,
    OutputType,
    PreviewFile,
    Software,
    WorkingFile,
)
from production.api.views import ProductionViewSet
from production.querysets import restrict_to_projects


class FileStatusViewSet(ProductionViewSet):
    queryset = FileStatus.objects.all()
    serializer_class = serializers.FileStatusSerializer
    filterset_class = filtersets.FileStatusFilterSet


class SoftwareViewSet(ProductionViewSet):
    queryset = Software.objects.all()
    serializer_class = serializers.SoftwareSerializer
    filterset_class = filtersets.SoftwareFilterSet


class OutputTypeViewSet(ProductionViewSet):
    queryset = OutputType.objects.all()
    serializer_class = serializers.OutputTypeSerializer
    filterset_class = filtersets.OutputTypeFilterSet


class WorkingFileViewSet(ProductionViewSet):
    serializer_class = serializers.WorkingFileSerializer
    filterset_class = filtersets.WorkingFileFilterSet

    def api_queryset(self, person):
        return restrict_to_projects(WorkingFile.objects.all(), person, "task__project")


class OutputFileViewSet(ProductionViewSet):
    serializer_class = serializers.OutputFileSerializer
    filterset_class = filtersets.OutputFileFilterSet

    def api_queryset(self, person):
        return restrict_to_projects(OutputFile.objects.all(), person, "task__project")


class PreviewFileViewSet(ProductionViewSet):
    serializer_class = serializers.PreviewFileSerializer
    filterset_class = filtersets.PreviewFileFilterSet

    def api_queryset(self, person):
        return restrict_to_projects(PreviewFile.objects.all(), person, "task__project")

    def perform_destroy(self, instance):
        # Its stored files go too, and nothing keeps pointing at it.
        self._deleting = instance
        previews.preview_file_delete(preview_file=instance)
