"""Bodies of the task workflow routes (DESIGN §5): each view validates its
body with one of these, and the OpenAPI schema shows the same serializer, so
what the schema calls required is what the server requires.

gazu 1.3.1 sends `{task_status_id, comment, checklist, links, for_client,
person_id?, created_at?}` to comment, `{duration}` to time spent,
`{task_ids}` to person assign and `{task_ids, person_id?}` to clear
assignation; keys a body does not name here are ignored (DESIGN §4.2)."""

from rest_framework import serializers

from production.models import Person, TaskStatus, TaskType, TimeSpent
from production.querysets import visible_tasks
from zou_site.api.errors import ApiError


class JsonListField(serializers.ListField):
    """A list as JSON gives it. DRF's ListField would read a form's repeated
    key as a list; a form's single value stays a string here and is refused."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class PersonField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": "No person has the id {pk_value}."}

    def __init__(self, **kwargs):
        super().__init__(queryset=Person.objects.all(), pk_field=serializers.UUIDField(), **kwargs)


class TaskIdsRequestSerializer(serializers.Serializer):
    """`task_ids`, resolved to the tasks the caller sees (context `person`)
    in one query; an id among them that the caller cannot see is unknown."""

    task_ids = JsonListField(child=serializers.UUIDField())

    def validate_task_ids(self, ids):
        wanted = set(ids)
        tasks = list(visible_tasks(self.context["person"]).filter(id__in=wanted))
        if len(tasks) != len(wanted):
            missing = sorted(str(i) for i in wanted - {task.id for task in tasks})
            raise serializers.ValidationError(f"No task has the id {', '.join(missing)}.")
        return tasks


class ClearAssignationRequestSerializer(TaskIdsRequestSerializer):
    person_id = PersonField(required=False, allow_null=True, help_text="Default: every assignee.")


class AssignRequestSerializer(serializers.Serializer):
    person_id = PersonField()


class CommentRequestSerializer(serializers.Serializer):
    task_status_id = serializers.PrimaryKeyRelatedField(
        queryset=TaskStatus.objects.all(), pk_field=serializers.UUIDField(),
        error_messages={"does_not_exist": "No task status has the id {pk_value}."},
        help_text="The status the task takes: posting a comment is how a status changes.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    person_id = PersonField(required=False, allow_null=True, help_text="The author (managers and admins). Default: the caller.")
    created_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Managers and admins importing a history; else the server's time."
    )


class DurationRequestSerializer(serializers.Serializer):
    duration = serializers.IntegerField(
        min_value=0, max_value=TimeSpent.MAX_DAY_SECONDS, help_text="Seconds, a whole number."
    )


class CreateTasksRequestSerializer(serializers.Serializer):
    project_id = serializers.UUIDField(required=False, allow_null=True, help_text="Default: every project you see.")


class EntityTasksRequestSerializer(serializers.Serializer):
    task_type_ids = JsonListField(child=serializers.UUIDField(), allow_empty=False)

    def validate_task_type_ids(self, ids):
        wanted = set(ids)
        task_types = list(TaskType.objects.filter(id__in=wanted))
        if len(task_types) != len(wanted):
            missing = sorted(str(i) for i in wanted - {task_type.id for task_type in task_types})
            raise serializers.ValidationError(f"No task type has the id {', '.join(missing)}.")
        return task_types


def list_body(request, serializer_class, key, context=None):
    """A body that is a bare JSON list (gazu's bulk task deletion, Zou's
    create-tasks), validated by `serializer_class` as `{key: body}`."""
    if not isinstance(request.data, list):
        raise ApiError(f"The body must be a JSON list of ids ('{key}').", errors={key: ["Expected a JSON list of ids."]})
    serializer = serializer_class(data={key: request.data}, context=context or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data[key]


class EntityIdsRequestSerializer(serializers.Serializer):
    """Zou's create-tasks body: the ids of the shots or assets to give a task."""

    entity_ids = JsonListField(child=serializers.UUIDField())
