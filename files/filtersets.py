from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from zou_site.api import ZouFilterSet


class FileStatusFilterSet(ZouFilterSet):
    class Meta:
        model = FileStatus
        fields = []


class SoftwareFilterSet(ZouFilterSet):
    class Meta:
        model = Software
        fields = []


class OutputTypeFilterSet(ZouFilterSet):
    class Meta:
        model = OutputType
        fields = []


class WorkingFileFilterSet(ZouFilterSet):
    class Meta:
        model = WorkingFile
        fields = []


class OutputFileFilterSet(ZouFilterSet):
    class Meta:
        model = OutputFile
        fields = []


class PreviewFileFilterSet(ZouFilterSet):
    class Meta:
        model = PreviewFile
        fields = []
