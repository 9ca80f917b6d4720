"""One FilterSet per model: every field filters by equality (see ZouFilterSet)."""

import uuid

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Trim
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from production.models import (
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityLink,
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
from production.querysets import in_episode
from zou_site.api.errors import ApiError
from zou_site.api.filters import FieldValueFilter, filterset_for

@extend_schema_field(OpenApiTypes.STR)
class FullNameFilter(FieldValueFilter):
    """`full_name` (gazu's get_person_by_full_name): first and last name as
    the row's `full_name` shows them, case-insensitive."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        full_name = Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
        return qs.annotate(full_name_match=full_name).filter(full_name_match__iexact=" ".join(str(value).split()))


# Emails are stored lowercased; gazu sends them as typed. Secrets and the
# token watermark are never filterable: a filter would let one probe them.
PersonFilterSet = filterset_for(
    Person,
    excluded={"password", "tokens_valid_after", "last_login"},
    email=FieldValueFilter(field_name="email", model_field=Person._meta.get_field("email"), lookup="iexact"),
    full_name=FullNameFilter(field_name="full_name"),
)
DepartmentFilterSet = filterset_for(Department)
ProjectStatusFilterSet = filterset_for(ProjectStatus)
ProjectFilterSet = filterset_for(Project)
EntityTypeFilterSet = filterset_for(EntityType)
AssetTypeFilterSet = filterset_for(AssetType)
EntityFilterSet = filterset_for(Entity)
EntityLinkFilterSet = filterset_for(EntityLink)
EpisodeFilterSet = filterset_for(Episode)
SequenceFilterSet = filterset_for(Sequence, aliases={"episode_id": "parent_id"})
ShotFilterSet = filterset_for(Shot, aliases={"sequence_id": "parent_id"})
@extend_schema_field(OpenApiTypes.UUID)
class EpisodeFilter(FieldValueFilter):
    """An episode's id that is no column of the rows: `narrow` says which rows are the episode's."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        try:
            episode_id = uuid.UUID(str(value))
        except ValueError:
            raise ApiError(f"Filter '{self.key}': '{value}' is not a valid id.", errors={self.key: ["Not a valid id."]})
        return self.narrow(qs, episode_id)


class CastInEpisodeFilter(EpisodeFilter):
    """`source_id` on assets (gazu's all_assets_for_episode): the assets cast
    in the episode's shots, as production.querysets.in_episode counts them
    (an asset has no episode of its own here)."""

    def narrow(self, qs, episode_id):
        return qs.filter(id__in=Entity.objects.filter(entities_in__parent__parent_id=episode_id).values("id"))


AssetFilterSet = filterset_for(
    Asset, aliases={"asset_type_id": "entity_type_id"}, source_id=CastInEpisodeFilter(field_name="source_id")
)
TaskTypeFilterSet = filterset_for(TaskType)
TaskStatusFilterSet = filterset_for(TaskStatus)
CommentFilterSet = filterset_for(Comment, aliases={"task_id": "object_id"})
TimeSpentFilterSet = filterset_for(TimeSpent)


# --- Task lists of issue 15 ---
class EpisodeOfTaskFilter(EpisodeFilter):
    """`episode_id` on a task list: the tasks of that episode (see
    production.querysets.in_episode), not a column of the task."""

    def narrow(self, qs, episode_id):
        return qs.filter(in_episode(episode_id))


# gazu's all_tasks_for_task_type(project, task_type, episode=) reads data/tasks?episode_id=.
TaskFilterSet = filterset_for(Task, episode_id=EpisodeOfTaskFilter())
# gazu filters task lists by `person_id` (an assignee) and `episode_id`.
TaskListFilterSet = filterset_for(Task, aliases={"person_id": "assignees"}, episode_id=EpisodeOfTaskFilter())


def _day_bound(key, lookup):
    bound = FieldValueFilter(field_name="date", model_field=TimeSpent._meta.get_field("date"), lookup=lookup)
    bound.query_key = key  # errors name the key the client sent
    return bound


# A person's time over a range of days: gazu sends both ends, each optional here.
TimeSpentRangeFilterSet = filterset_for(TimeSpent, start_date=_day_bound("start_date", "gte"), end_date=_day_bound("end_date", "lte"))


def _time_project():
    project = FieldValueFilter(field_name="task__project_id", model_field=Task._meta.get_field("project").target_field)
    project.query_key = "project_id"
    return project


# A person's time summed per task (Zou's time sheets): narrowed by project only.
TimeSpentSummaryFilterSet = filterset_for(TimeSpent, project_id=_time_project())
