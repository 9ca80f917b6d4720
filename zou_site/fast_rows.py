"""Rows straight from `.values()`, shaped exactly as the serializers shape
them, for the lists that reach tens of thousands of rows. A serializer
instance per row costs far more than the SQL; this costs a dict per row.

A RowPlan is built once per serializer class from the serializer's own fields,
so the fast path cannot drift from the serializer: every field is either a
column (converted by the field's own to_representation), a many-to-many list
of ids fetched in one query for the whole list, or the row's `type`.
"""

import json
import uuid
from datetime import date, datetime

from django.db.models import F
from rest_framework import serializers

_PLANS = {}


class RowPlan:
    def __init__(self, serializer_class):
        serializer = serializer_class()
        model = serializer_class.Meta.model
        self.serializer = serializer
        self.model = model
        self.columns = []  # (output name, values() key, converter or None)
        self.many = []  # (output name, many-to-many field name)
        self.annotations = {}
        self.has_type = False
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name == "type":
                self.has_type = True
            elif isinstance(field, serializers.ManyRelatedField):
                self.many.append((name, field.source))
            elif isinstance(field, serializers.PrimaryKeyRelatedField):
                key = model._meta.get_field(field.source).attname
                self.columns.append((name, self._key(name, key), str))
            elif isinstance(field, (serializers.Serializer, serializers.ListSerializer)):
                raise TypeError(f"{serializer_class.__name__}.{name} is nested: not a flat row")
            else:
                self.columns.append((name, self._key(name, field.source), self._converter(field)))

    def _key(self, name, source):
        # values() cannot return two names for one column: alias when the
        # output name differs from the column (`sequence_id` from parent_id).
        if source == name:
            return source
        alias = f"_fast_{name}"
        self.annotations[alias] = F(source)
        return alias

    @staticmethod
    def _converter(field):
        if isinstance(field, serializers.UUIDField):
            return str
        if isinstance(field, (serializers.DateTimeField, serializers.DateField)):
            return field.to_representation
        if isinstance(field, serializers.DecimalField):
            return field.to_representation
        return None

    def values(self, queryset):
        keys = [key for _, key, _ in self.columns]
        if self.has_type and hasattr(self.serializer, "type_key"):
            keys.append(self.serializer.type_key)
        return queryset.annotate(**self.annotations).values(*keys) if self.annotations else queryset.values(*keys)

    def many_ids(self, queryset):
        """{m2m name: {row id: [ids]}} in one query per relation for the whole list."""
        result = {}
        for name, source in self.many:
            field = self.model._meta.get_field(source)
            through = field.remote_field.through
            from_name = field.m2m_field_name()
            to_name = field.m2m_reverse_field_name()
            by_row = {}
            pairs = through.objects.filter(**{f"{from_name}__in": queryset.values("pk")}).values_list(
                f"{from_name}_id", f"{to_name}_id"
            )
            for row_id, other_id in pairs.order_by(f"{to_name}_id"):
                by_row.setdefault(row_id, []).append(str(other_id))
            result[name] = by_row
        return result

    def row(self, values, many):
        out = {}
        if self.has_type:
            out["type"] = self.serializer.type_for_values(values)
        for name, key, convert in self.columns:
            value = values[key]
            out[name] = convert(value) if (convert is not None and value is not None) else value
        for name, _ in self.many:
            out[name] = many[name].get(values["id"], [])
        return out


def plan_for(serializer_class):
    plan = _PLANS.get(serializer_class)
    if plan is None:
        plan = _PLANS[serializer_class] = RowPlan(serializer_class)
    return plan


def fast_rows(queryset, serializer_class):
    """The same list as `serializer_class(queryset, many=True).data`."""
    plan = plan_for(serializer_class)
    many = plan.many_ids(queryset)
    return [plan.row(values, many) for values in plan.values(queryset)]


def iter_fast_rows(queryset, serializer_class, chunk_size=2000):
    """Rows one at a time from a server-side cursor, for streamed answers."""
    plan = plan_for(serializer_class)
    many = plan.many_ids(queryset)
    for values in plan.values(queryset).iterator(chunk_size=chunk_size):
        yield plan.row(values, many)


class _Encoder(json.JSONEncoder):
    def default(self, value):
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        return super().default(value)


encode_row = _Encoder(ensure_ascii=False, separators=(",", ":")).encode


def with_nested_texts(row_text, key, texts):
    """Add `key: [texts...]` to an encoded object without decoding anything."""
    return f'{row_text[:-1]},"{key}":[{",".join(texts)}]}}'


def json_array_chunks(texts, per_chunk=500):
    """A JSON array from encoded rows, as text chunks: the answer is never
    held whole in memory."""
    yield "["
    buffer, first = [], True
    for text in texts:
        buffer.append(text)
        if len(buffer) >= per_chunk:
            yield ("" if first else ",") + ",".join(buffer)
            buffer, first = [], False
    if buffer:
        yield ("" if first else ",") + ",".join(buffer)
    yield "]"


def streamed_rows(queryset, serializer_class):
    return json_array_chunks(encode_row(row) for row in iter_fast_rows(queryset, serializer_class))
