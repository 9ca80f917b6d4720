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
from zou_site.api import FieldValueFilter, ZouFilterSet


class PersonFilterSet(ZouFilterSet):
    # Emails are stored lowercased; gazu sends them as typed.
    email = FieldValueFilter(field_name="email", model_field=Person._meta.get_field("email"), lookup="iexact")

    class Meta:
        model = Person
        fields = []


class DepartmentFilterSet(ZouFilterSet):
    class Meta:
        model = Department
        fields = []


class ProjectStatusFilterSet(ZouFilterSet):
    class Meta:
        model = ProjectStatus
        fields = []


class ProjectFilterSet(ZouFilterSet):
    class Meta:
        model = Project
        fields = []


class EntityTypeFilterSet(ZouFilterSet):
    class Meta:
        model = EntityType
        fields = []


class AssetTypeFilterSet(ZouFilterSet):
    class Meta:
        model = AssetType
        fields = []


class EntityFilterSet(ZouFilterSet):
    class Meta:
        model = Entity
        fields = []


class EpisodeFilterSet(ZouFilterSet):
    class Meta:
        model = Episode
        fields = []


class SequenceFilterSet(ZouFilterSet):
    aliases = {"episode_id": "parent_id"}

    class Meta:
        model = Sequence
        fields = []


class ShotFilterSet(ZouFilterSet):
    aliases = {"sequence_id": "parent_id"}

    class Meta:
        model = Shot
        fields = []


class AssetFilterSet(ZouFilterSet):
    aliases = {"asset_type_id": "entity_type_id"}

    class Meta:
        model = Asset
        fields = []


class TaskTypeFilterSet(ZouFilterSet):
    class Meta:
        model = TaskType
        fields = []


class TaskStatusFilterSet(ZouFilterSet):
    class Meta:
        model = TaskStatus
        fields = []


class TaskFilterSet(ZouFilterSet):
    class Meta:
        model = Task
        fields = []


class CommentFilterSet(ZouFilterSet):
    aliases = {"task_id": "object_id"}

    class Meta:
        model = Comment
        fields = []


class TimeSpentFilterSet(ZouFilterSet):
    class Meta:
        model = TimeSpent
        fields = []
