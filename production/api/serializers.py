"""One serializer per model: the row's shape only, no queries, no side effects."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from production.auth import persons
from production.models import (
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityType,
    Episode,
    RESERVED_ENTITY_TYPES,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
    normalize_email,
)
from zou_site.api.serializers import ZouModelSerializer


class DepartmentSerializer(ZouModelSerializer):
    """gazu's new_department sends `color: ""` when none is given: the default grey."""

    class Meta(ZouModelSerializer.Meta):
        model = Department
        extra_kwargs = {"color": {"allow_blank": True}}

    def validate_color(self, value):
        return value or Department._meta.get_field("color").get_default()


class PersonSerializer(ZouModelSerializer):
    """Password is write-only and hashed; the token watermark never leaves the server."""

    password = serializers.CharField(write_only=True, required=False, allow_null=True, allow_blank=True)
    full_name = serializers.CharField(read_only=True)

    class Meta(ZouModelSerializer.Meta):
        model = Person
        fields = None
        exclude = ["tokens_valid_after", "last_login"]

    def validate_email(self, value):
        return normalize_email(value)

    def validate_password(self, value):
        if value:
            try:
                validate_password(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages)
        return value

    def _save(self, instance, validated_data):
        password = validated_data.pop("password", None)
        if password:
            instance.set_password(password)
        elif instance._state.adding:
            instance.set_unusable_password()
        return super()._save(instance, validated_data)

    def save_instance(self, instance):
        persons.person_save(person=instance, actor=self.context["request"].user)

    def full_clean_exclude(self):
        # The password is set hashed (or unusable) above, never from the body as is.
        return ["password"]


class ProjectStatusSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = ProjectStatus


class ProjectSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Project


class EntityTypeSerializer(ZouModelSerializer):
    zou_type = "EntityType"

    class Meta(ZouModelSerializer.Meta):
        model = EntityType


class AssetTypeSerializer(EntityTypeSerializer):
    zou_type = "AssetType"

    class Meta(ZouModelSerializer.Meta):
        model = AssetType


class CastingFieldMixin(serializers.Serializer):
    """`entities_out` stays a writable list of asset ids (DESIGN §4.2) though
    its links are EntityLink rows now, which DRF would make read-only: a link
    kept keeps its occurrences, a new one counts 1 (the casting routes set
    counts). Assets of the entity's own project only, as the casting routes."""

    entities_out = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Asset.objects.all(),
        pk_field=serializers.UUIDField(),
        error_messages={"does_not_exist": "No asset has the id {pk_value}."},
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        assets = attrs.get("entities_out") or []
        project = attrs.get("project") or getattr(self.instance, "project", None)
        foreign = sorted(str(a.id) for a in assets if project is None or a.project_id != project.id)
        if foreign:
            raise serializers.ValidationError({"entities_out": [f"Not assets of the entity's project: {', '.join(foreign)}."]})
        if self.instance is not None and any(a.pk == self.instance.pk for a in assets):
            raise serializers.ValidationError({"entities_out": ["An asset is not cast in itself."]})
        return attrs


class EntitySerializer(CastingFieldMixin, ZouModelSerializer):
    """Any entity; `type` is its kind (Shot, Sequence, Episode, or Asset)."""

    class Meta(ZouModelSerializer.Meta):
        model = Entity

    type_key = "entity_type_name"  # annotated by production.querysets.entities_for_api

    def get_type(self, obj) -> str:
        name = getattr(obj, "entity_type_name", None)
        if name is None:
            name = obj.entity_type.name
        return self.kind_of(name)

    def type_for_values(self, type_value):
        return self.kind_of(type_value)

    # kind_of() as data, for the rows PostgreSQL writes (zou_site.api.fast_rows):
    # a type name among these is its own kind, any other is `type_other`.
    type_kept = RESERVED_ENTITY_TYPES
    type_other = "Asset"

    @classmethod
    def kind_of(cls, entity_type_name):
        return entity_type_name if entity_type_name in cls.type_kept else cls.type_other


class EntityKindSerializer(CastingFieldMixin, ZouModelSerializer):
    """Episodes, sequences and shots: the kind sets the entity type, not the client."""

    def create(self, validated_data):
        validated_data["entity_type"] = self.Meta.model.objects.entity_type()
        return super().create(validated_data)


class EpisodeSerializer(EntityKindSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Episode
        read_only_fields = ["entity_type"]


class SequenceSerializer(EntityKindSerializer):
    episode_id = serializers.PrimaryKeyRelatedField(
        source="parent", queryset=Episode.objects.select_related("entity_type"), required=False, allow_null=True
    )

    class Meta(ZouModelSerializer.Meta):
        model = Sequence
        read_only_fields = ["entity_type"]


class ShotSerializer(EntityKindSerializer):
    sequence_id = serializers.PrimaryKeyRelatedField(
        source="parent", queryset=Sequence.objects.select_related("entity_type"), required=False, allow_null=True
    )

    class Meta(ZouModelSerializer.Meta):
        model = Shot
        read_only_fields = ["entity_type"]


class AssetSerializer(CastingFieldMixin, ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Asset
        extra_kwargs = {"entity_type": {"queryset": AssetType.objects.all()}}


class TaskTypeSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = TaskType


class TaskStatusSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = TaskStatus


class TaskSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Task
        extra_kwargs = {"task_status": {"required": False}, "project": {"required": False}}


class CommentSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = Comment


class TimeSpentSerializer(ZouModelSerializer):
    class Meta(ZouModelSerializer.Meta):
        model = TimeSpent


class ShotWithNamesSerializer(EntitySerializer):
    """shots/all rows: the names clients show beside each shot."""

    project_name = serializers.CharField(read_only=True)
    sequence_id = serializers.UUIDField(source="parent_id", read_only=True, allow_null=True)
    sequence_name = serializers.CharField(read_only=True, allow_null=True)
    episode_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta(EntitySerializer.Meta):
        model = Shot


class AssetWithNamesSerializer(EntitySerializer):
    """assets/all rows: the names clients show beside each asset."""

    project_name = serializers.CharField(read_only=True)
    asset_type_id = serializers.UUIDField(source="entity_type_id", read_only=True)
    asset_type_name = serializers.CharField(read_only=True)

    class Meta(EntitySerializer.Meta):
        model = Asset


class TaskWithNamesSerializer(TaskSerializer):
    task_status_name = serializers.CharField(read_only=True)
    task_status_short_name = serializers.CharField(read_only=True)
    task_status_color = serializers.CharField(read_only=True)
    task_type_name = serializers.CharField(read_only=True)
    task_type_color = serializers.CharField(read_only=True)
    task_type_priority = serializers.IntegerField(read_only=True)
    entity_name = serializers.CharField(read_only=True)
    entity_type_name = serializers.CharField(read_only=True)
    project_name = serializers.CharField(read_only=True)

    class Meta(TaskSerializer.Meta):
        pass


class ShotWithTasksSerializer(ShotWithNamesSerializer):
    """shots/with-tasks: each shot with its tasks (fast path children)."""

    tasks = TaskSerializer(many=True, read_only=True)

    class Meta(ShotWithNamesSerializer.Meta):
        pass


class AssetWithTasksSerializer(AssetWithNamesSerializer):
    """assets/with-tasks: each asset with its tasks (fast path children)."""

    tasks = TaskSerializer(many=True, read_only=True)

    class Meta(AssetWithNamesSerializer.Meta):
        pass


class PersonSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "full_name", "email", "role", "desktop_login"]


class CommentWithPersonSerializer(CommentSerializer):
    """A comment as the task page shows it: with its author and status."""

    person = PersonSummarySerializer(read_only=True)
    task_status = TaskStatusSerializer(read_only=True)

    class Meta(CommentSerializer.Meta):
        pass


class TaskFullSerializer(TaskSerializer):
    """data/tasks/<id>/full: the task with its related rows nested."""

    project = ProjectSerializer(read_only=True)
    task_type = TaskTypeSerializer(read_only=True)
    task_status = TaskStatusSerializer(read_only=True)
    entity = EntitySerializer(read_only=True)
    entity_type = EntityTypeSerializer(read_only=True, source="entity.entity_type")
    assigner = PersonSummarySerializer(read_only=True, allow_null=True)
    persons = PersonSummarySerializer(many=True, read_only=True, source="assignee_rows")
    sequence = EntitySerializer(read_only=True, source="entity.parent", allow_null=True)

    class Meta(TaskSerializer.Meta):
        pass


class TaskInContextSerializer(TaskWithNamesSerializer):
    """A to-do list's task (a person's tasks, open tasks, the artist's own
    view): the entity task list's names plus the shot's sequence and episode."""

    sequence_name = serializers.CharField(read_only=True, allow_null=True)
    episode_id = serializers.UUIDField(read_only=True, allow_null=True)
    episode_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta(TaskWithNamesSerializer.Meta):
        pass
