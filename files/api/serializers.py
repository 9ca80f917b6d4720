"""One serializer per files model: the row's shape only."""

from files.models import (
    FileStatus,
    OutputFile,
    OutputType,
    PreviewFile,
    Software,
    WorkingFile,
)
from zou_site.api.serializers import ZouModelSerializer


class FileStatusSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = FileStatus


class SoftwareSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Software


class OutputTypeSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = OutputType


class WorkingFileSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = WorkingFile


class OutputFileSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = OutputFile


class PreviewFileSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = PreviewFile
