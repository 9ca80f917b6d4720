"""The base serializer: a row as Zou sends it."""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers

from zou_site.api.errors import ApiError
from zou_site.parsers import nul_path


def _read_from_database(instance, field):
    """Whether the row a foreign key points at is on the instance, as read
    from the database (by a serializer field, a lookup)."""
    if field.remote_field.limit_choices_to or field.validators or not field.is_cached(instance):
        return False
    related = field.get_cached_value(instance)
    return related is not None and not related._state.adding and related.pk == getattr(instance, field.attname)


def full_clean(instance, exclude=()):
    """instance.full_clean(), without asking the database again whether the
    rows its foreign keys point at exist when they were just read from it
    (a query each; a shot's creation asked three times). Uniqueness and
    constraints are checked as full_clean() checks them."""
    read = {f.name for f in instance._meta.concrete_fields if f.many_to_one and _read_from_database(instance, f)}
    clean_fields = instance.clean_fields
    instance.clean_fields = lambda exclude=None: clean_fields(exclude=set(exclude or ()) | read)
    try:
        instance.full_clean(exclude=exclude)
    finally:
        del instance.clean_fields


class ZouModelSerializer(serializers.ModelSerializer):
    """A row as Zou sends it: every field, `<fk>_id` for foreign keys, lists of
    ids for many-to-many, and `type`. Writes run the model's full_clean(), so
    database invariants come back as 400 with the field named."""

    type = serializers.SerializerMethodField()
    zou_type = None
    # on_write(instance), when set (production.api.event_writes), runs in the
    # write's own transaction, after it: its events are stored with it, and
    # the checks before it (full_clean) run outside any transaction, where
    # each uniqueness check needs no savepoint of its own.
    on_write = None

    class Meta:
        fields = "__all__"
        validators = []

    def get_type(self, obj) -> str:
        return self.zou_type or type(obj).__name__

    def type_for_values(self, type_value):
        """`type` for a row read by zou_site.api.fast_rows; `type_value` is the
        column named by `type_key` when the serializer has one."""
        return self.zou_type or self.Meta.model.__name__

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if not relation_info.to_many:
            kwargs["source"] = field_name
        return field_class, kwargs

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        renamed = {}
        for name, field in fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                renamed[name] = field
                continue
            if not (model_field.is_relation and model_field.many_to_one):
                renamed[name] = field
            elif name in self._declared_fields:
                # A nested row declared under the relation's name keeps its
                # `<name>_id` beside it, as Zou's full views do.
                renamed[name] = field
                renamed[model_field.attname] = serializers.UUIDField(read_only=True, allow_null=model_field.null)
            else:
                renamed[model_field.attname] = field
        if "id" in renamed:
            renamed["id"] = serializers.UUIDField(required=False)
        return renamed

    def validate(self, attrs):
        # Values reach here from every parser (a JSON field sent as a form
        # string too): PostgreSQL cannot store NUL, so it is refused here.
        bad = {
            key: nul_path(value, key)
            for key, value in attrs.items()
            if isinstance(value, (str, dict, list)) and nul_path(value, key)
        }
        if bad:
            raise serializers.ValidationError(
                {key: [f"NUL characters and unpaired surrogates are not allowed (at '{where}')."] for key, where in bad.items()}
            )
        return attrs

    def validate_id(self, value):
        if self.instance is not None:
            return self.instance.pk
        if value is not None and self.Meta.model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError("A row with this id already exists.")
        return value

    def _api_name(self, field_name):
        # A model field the body gave under another name (a shot's
        # `sequence_id` for `parent`) is reported under the body's name.
        given = getattr(self, "initial_data", None) or {}
        for name, field in self.fields.items():
            if name in self._declared_fields and field.source == field_name and name in given:
                return name
        try:
            model_field = self.Meta.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            return field_name
        return model_field.attname if model_field.is_relation and model_field.many_to_one else field_name

    def _save(self, instance, validated_data):
        many = {
            key: validated_data.pop(key)
            for key in list(validated_data)
            if isinstance(self.fields.get(key), serializers.ManyRelatedField)
        }
        if instance.pk and self.instance is None and validated_data.get("id") is None:
            validated_data.pop("id", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            # The id is a new UUID, or one validate_id() found free.
            full_clean(instance, exclude=[*self.full_clean_exclude(), instance._meta.pk.name])
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {self._api_name(k): v for k, v in error.message_dict.items()}
            )
        adding = instance._state.adding
        try:
            with transaction.atomic():
                self.save_instance(instance)
                for key, value in many.items():
                    getattr(instance, key).set(value)
                if adding:
                    self._known_empty(instance, many)
                if self.on_write is not None:
                    self.on_write(instance)
        except IntegrityError as error:
            raise ApiError(f"This change conflicts with an existing row: {error}".split("\n")[0])
        return instance

    def _known_empty(self, instance, given):
        """A new row's many-to-many lists the body did not give are empty:
        rendering it asks the database nothing about them."""
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, field in self.fields.items():
            if isinstance(field, serializers.ManyRelatedField) and name not in given and field.source == name:
                cache.setdefault(name, getattr(instance, name).none())

    def save_instance(self, instance):
        """Where a model whose writes go through a service calls it."""
        instance.save()

    def full_clean_exclude(self):
        """Model fields full_clean() must not check (e.g. one set by a hook)."""
        return []

    def create(self, validated_data):
        instance = self.Meta.model()
        if validated_data.get("id") is None:
            validated_data.pop("id", None)
        return self._save(instance, validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("id", None)
        return self._save(instance, validated_data)
