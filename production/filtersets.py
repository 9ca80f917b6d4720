"""One FilterSet per model: every field filters by equality (see ZouFilterSet)."""

from production.models import (
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityType,
    Episode,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from zou_site.api.filters import FieldValueFilter, filterset_for

# Emails are stored lowercased; gazu sends them as typed. Secrets and the
# token watermark are never filterable: a filter would let one probe them.
PersonFilterSet = filterset_for(
    Person,
    excluded={"password", "tokens_valid_after", "last_login"},
    email=FieldValueFilter(field_name="email", model_field=Person._meta.get_field("email"), lookup="iexact"),
)
DepartmentFilterSet = filterset_for(Department)
ProjectStatusFilterSet = filterset_for(ProjectStatus)
ProjectFilterSet = filterset_for(Project)
EntityTypeFilterSet = filterset_for(EntityType)
AssetTypeFilterSet = filterset_for(AssetType)
EntityFilterSet = filterset_for(Entity)
EpisodeFilterSet = filterset_for(Episode)
SequenceFilterSet = filterset_for(Sequence, aliases={"episode_id": "parent_id"})
ShotFilterSet = filterset_for(Shot, aliases={"sequence_id": "parent_id"})
AssetFilterSet = filterset_for(Asset, aliases={"asset_type_id": "entity_type_id"})
TaskTypeFilterSet = filterset_for(TaskType)
TaskStatusFilterSet = filterset_for(TaskStatus)
TaskFilterSet = filterset_for(Task)
CommentFilterSet = filterset_for(Comment, aliases={"task_id": "object_id"})
TimeSpentFilterSet = filterset_for(TimeSpent)
