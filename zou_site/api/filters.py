"""Strict filters: every concrete field filters by equality, an unknown query
key or a malformed value is a 400 naming it."""

import datetime
import json
import uuid

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend

from zou_site.api.errors import ApiError
from zou_site.api.params import parse_bool
from zou_site.parsers import nul_path

RESERVED_QUERY_KEYS = {"page", "limit", "relations", "fields", "force", "format"}


def _split_values(raw):
    """`?id=["a","b"]` means any of them; anything else is one value."""
    text = raw.strip()
    if text.startswith("["):
        try:
            values = json.loads(text)
        except ValueError:
            raise DjangoValidationError("is not a valid JSON list")
        if not isinstance(values, list) or any(isinstance(v, (list, dict)) for v in values):
            raise DjangoValidationError("must be a JSON list of plain values")
        return [str(v) if not isinstance(v, str) else v for v in values], True
    return [raw], False


class FieldValueFilter(django_filters.Filter):
    """Equality on one model field, the value converted by the field itself,
    a JSON list meaning "in"; `null`/`None` matches empty foreign keys."""

    field_class = django_filters.filters.forms.CharField

    def __init__(self, *args, model_field=None, lookup="exact", **kwargs):
        self.model_field = model_field
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def convert(self, value):
        field = self.model_field
        if value in ("null", "None") and field.null:
            return None
        if isinstance(field, models.BooleanField):
            return parse_bool(value, self.field_name)
        try:
            if isinstance(field, (models.UUIDField,)):
                return uuid.UUID(str(value))
            converted = field.to_python(value)
            if isinstance(converted, datetime.datetime) and converted.tzinfo is not None:
                # PostgreSQL refuses offsets past ±15:59 (`+20:00`): compare in UTC.
                converted = converted.astimezone(datetime.timezone.utc)
            return converted
        except OverflowError:
            raise DjangoValidationError(f"'{value}' is outside the years 1 to 9999 once in UTC")
        except (DjangoValidationError, ValueError, TypeError, AttributeError):
            raise DjangoValidationError(f"'{value}' is not a valid value")

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if nul_path(value):
            raise ApiError(f"Filter '{self.key}' contains a NUL character or an unpaired surrogate.")
        try:
            values, is_list = _split_values(value)
            converted = [self.convert(v) for v in values]
        except DjangoValidationError as error:
            raise ApiError(f"Filter '{self.key}': {' '.join(error.messages)}.", errors={self.key: error.messages})
        except ApiError as error:
            raise ApiError(f"Filter '{self.key}': {error.detail}")
        if is_list:
            qs = qs.filter(**{f"{self.field_name}__in": converted})
            # Two matching members of one row would list the row twice.
            return qs.distinct() if self.many else qs
        if converted[0] is None:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return qs.filter(**{f"{self.field_name}__{self.lookup}": converted[0]})

    @property
    def key(self):
        return getattr(self, "query_key", self.field_name)

    @property
    def many(self):
        return getattr(self, "is_many", False)


class ZouFilterSet(django_filters.FilterSet):
    """Every concrete field of the model is a filter: `name`, `<fk>_id`, and
    many-to-many by membership (`assignees=<person id>`). `aliases` maps more
    query keys onto fields (`sequence_id` → `parent_id` for shots);
    `excluded` names fields that must never be filtered on (secrets)."""

    aliases = {}
    excluded = frozenset()

    @classmethod
    def get_filters(cls):
        model = cls._meta.model
        filters = {}
        if model is None:
            return filters
        for field in model._meta.get_fields():
            if field.name in cls.excluded or isinstance(field, models.JSONField):
                continue
            if field.many_to_many and not field.auto_created:
                flt = FieldValueFilter(field_name=field.name, model_field=field.target_field)
                flt.is_many = True
                filters[field.name] = flt
            elif field.concrete and field.is_relation and field.many_to_one:
                flt = FieldValueFilter(field_name=field.attname, model_field=_NullableTarget(field))
                filters[field.attname] = flt
            elif field.concrete and not field.is_relation:
                filters[field.name] = FieldValueFilter(field_name=field.name, model_field=field)
        for alias, target in cls.aliases.items():
            original = filters[target]
            flt = FieldValueFilter(field_name=original.field_name, model_field=original.model_field)
            flt.is_many = getattr(original, "is_many", False)
            filters[alias] = flt
        for key, flt in filters.items():
            flt.query_key = key
        filters.update(cls.declared_filters)
        return filters


def filterset_for(model, aliases=None, excluded=(), **declared):
    """A ZouFilterSet for a model (named `<Model>FilterSet`), with optional
    query-key aliases, fields left out, and declared filters."""
    meta = type("Meta", (), {"model": model, "fields": []})
    attrs = {"Meta": meta, "aliases": aliases or {}, "excluded": frozenset(excluded), "__module__": __name__, **declared}
    return type(f"{model.__name__}FilterSet", (ZouFilterSet,), attrs)


class _NullableTarget:
    """A foreign key's target field (to convert values) that knows the FK's nullability."""

    def __init__(self, fk):
        self._target = fk.target_field
        self.null = fk.null

    def __getattr__(self, name):
        return getattr(self._target, name)

    def to_python(self, value):
        return self._target.to_python(value)


def check_query_keys(filterset_class, request):
    """The query's filter keys; a 400 naming the first unknown one."""
    keys = set(request.query_params) - RESERVED_QUERY_KEYS
    unknown = sorted(keys - set(filterset_class.base_filters))
    if unknown:
        raise ApiError(
            f"Unknown filter '{unknown[0]}'. Allowed: {', '.join(sorted(filterset_class.base_filters))}.",
            errors={key: ["Unknown filter."] for key in unknown},
        )
    return keys


_TEXT_KEYS = {}


def plain_text_filters(filterset_class, params):
    """Whether every query key is an equality filter on a text column with a
    plain value: one that keeps the query's shape whatever it is (not a JSON
    list, not `null`, not empty, no outer spaces a form would strip, no NUL),
    so zou_site.api.compiled may reuse the query with another value."""
    keys = _TEXT_KEYS.get(filterset_class)
    if keys is None:
        keys = _TEXT_KEYS[filterset_class] = frozenset(
            key
            for key, flt in filterset_class.base_filters.items()
            if type(flt) is FieldValueFilter
            and flt.lookup == "exact"
            and not flt.many
            and isinstance(flt.model_field, (models.CharField, models.TextField))
        )
    for key, value in params.lists():
        if key not in keys or len(value) != 1:
            return False
        value = value[0]
        if not value or value != value.strip() or value.startswith("[") or value in ("null", "None") or nul_path(value):
            return False
    return True


def apply_filterset(filterset_class, request, queryset):
    """Filter a queryset by the request's query keys, strictly (see ZouFilterBackend).
    Without a filter key no FilterSet is built: its form and bound filters
    cost up to 1.5 ms, a quarter of a small request."""
    if not check_query_keys(filterset_class, request):
        return queryset
    return filterset_class(request.query_params, queryset=queryset, request=request).qs


class ZouFilterBackend(DjangoFilterBackend):
    """django-filter, strict: an unknown query key is a 400 naming the allowed ones."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not check_query_keys(filterset_class, request):
            return queryset  # no filter key: no FilterSet built (see apply_filterset)
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        try:
            return super().get_schema_operation_parameters(view)
        except Exception:  # pragma: no cover - schema generation only
            return []
