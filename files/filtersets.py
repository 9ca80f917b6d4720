"""One FilterSet per model: every field filters by equality (see ZouFilterSet)."""

from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from zou_site.api.filters import filterset_for

FileStatusFilterSet = filterset_for(FileStatus)
SoftwareFilterSet = filterset_for(Software)
OutputTypeFilterSet = filterset_for(OutputType)
WorkingFileFilterSet = filterset_for(WorkingFile)
OutputFileFilterSet = filterset_for(OutputFile)
PreviewFileFilterSet = filterset_for(PreviewFile)
