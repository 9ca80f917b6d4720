"""One FilterSet per model: every field filters by equality (see ZouFilterSet)."""

from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from production.models import TaskType
from zou_site.api.filters import FieldValueFilter, filterset_for


def _through_task(field_name, model_field):
    flt = FieldValueFilter(field_name=f"task__{field_name}", model_field=model_field)
    flt.query_key = field_name
    return flt


FileStatusFilterSet = filterset_for(FileStatus)
SoftwareFilterSet = filterset_for(Software)
OutputTypeFilterSet = filterset_for(OutputType)
WorkingFileFilterSet = filterset_for(WorkingFile)
# gazu narrows an entity's outputs by task type, which an output reaches through its task.
OutputFileFilterSet = filterset_for(OutputFile, task_type_id=_through_task("task_type_id", TaskType._meta.pk))
PreviewFileFilterSet = filterset_for(PreviewFile)
