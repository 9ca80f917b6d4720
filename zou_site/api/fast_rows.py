"""Rows straight from `.values_list()`, shaped exactly as the serializers
shape them, for the lists that reach tens of thousands of rows. A serializer
instance per row costs far more than the SQL; this costs a dict per row.

A RowPlan is built once per serializer class from the serializer's own fields,
so the fast path cannot drift from the serializer: every field is either a
column, a many-to-many list of ids (a column of the row query,
zou_site.api.id_lists),
the row's `type`, a nested related row (one query for the whole list, each
related row serialized once by its own serializer) or a list of children
(rows of another queryset, in their parents' order, merged as they stream).
Any other field class is refused when the plan is built. On PostgreSQL, ids,
datetimes, dates and JSON are read as text: building a uuid.UUID or a
datetime per value only to print it again was most of a big list's time, and
orjson reads JSON several times faster than the json module. On PostgreSQL a long
list's rows are written as JSON by PostgreSQL itself (zou_site.api.pg_json).
"""

import itertools
import json
import re
import uuid
from datetime import date, datetime, timedelta

import orjson
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db import models as db_models
from django.db.models import F, Func, TextField
from django.db.models.fields.related import ForeignKey
from django.db.models.functions import Cast
from rest_framework import serializers

from zou_site.api import compiled
from zou_site.api.id_lists import id_list
from zou_site.api.renderers import dumps

_PLANS = {}
# A streamed list first reads this many rows plus one in a plain query, the
# many-to-many ids folded in: a list that fits (a name filter, an entity's
# tasks) costs one round trip. Past it, a server-side cursor streams the whole
# list, the many-to-many ids folded in too: on 10k shots or 96k tasks
# PostgreSQL answers that in the time of the rows and their links read apart,
# and no dict of every row's links is held for the whole answer. A list long
# by nature (a whole project's shots) skips the probe (`probed`), which costs
# a long list most of the time of the list itself (its joins and sort).
SMALL_LIST = 500
_ZERO = timedelta(0)
# Field classes whose value is the column as read (or converted below).
_COLUMN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.JSONField,
    serializers.UUIDField,
)


def _reads_uuid_as_text():
    return connection.vendor == "postgresql"


def _uuid_text(value):
    return value if isinstance(value, str) else str(value)


def _as_uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _datetime_converter(field):
    """DRF's ISO 8601 with `Z`, without its per-value timezone dance when
    the server runs in UTC (values come back from the database in UTC)."""
    if settings.TIME_ZONE != "UTC" or getattr(field, "format", None) not in (None, "iso-8601"):
        return field.to_representation

    def convert(value):
        if value.utcoffset() == _ZERO:
            return value.replace(tzinfo=None).isoformat() + "Z"
        return field.to_representation(value)

    return convert


def _iso_format(field):
    return getattr(field, "format", None) in (None, "iso-8601")


class _DatetimeText(Func):
    """A timestamptz as DRF writes it in UTC, "YYYY-MM-DDTHH:MM:SS[.ffffff]Z"
    (the fraction only when not zero, as isoformat()), written by PostgreSQL:
    no datetime is built per value only to be printed."""

    arity = 1
    template = "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
    output_field = TextField()


class _DateText(Func):
    """A date as DRF writes it (isoformat), written by PostgreSQL."""

    arity = 1
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = TextField()


# orjson reads an int past 64 bits as a float: 19 digits in a row go to the json module.
_LONG_NUMBER = re.compile(r"\d{19}")


def json_text(text):
    """A JSON column's text as Django's JSONField reads it (json.loads),
    through orjson when it gives the same values (not: a number past a
    double's range, an int past 64 bits)."""
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


class RowPlan:
    def __init__(self, serializer_class):
        serializer = serializer_class()
        model = serializer_class.Meta.model
        self.serializer = serializer
        self.model = model
        self.as_text = _reads_uuid_as_text()
        self.names = []  # output names, in serializer order
        self.expressions = {}  # values_list() alias → expression
        self.columns = []  # values_list() keys, one per output name
        self.converters = []  # converter or None, one per output name
        self.fields = []  # serializer field or None (a foreign key's id), one per output name
        self.bare_text = []  # whether its text is JSON-safe as is (ids, dates read as text), one per output name
        self.model_fields = []  # the model's own field read, or None (an annotation), one per output name
        self.many = []  # (output name, many-to-many field name)
        self.has_type = False
        self.related = []  # (output name, fk attname, serializer class)
        self.children = []  # (output name, child serializer class)
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name == "type" and isinstance(field, serializers.SerializerMethodField):
                self.has_type = True
            elif isinstance(field, serializers.ManyRelatedField):
                self.many.append((name, field.source))
            elif isinstance(field, serializers.PrimaryKeyRelatedField):
                self._column(name, model._meta.get_field(field.source).attname, is_uuid=True)
            elif isinstance(field, serializers.ListSerializer):
                self.children.append((name, type(field.child)))
            elif isinstance(field, serializers.Serializer):
                fk = model._meta.get_field(field.source) if "." not in field.source else None
                if not isinstance(fk, ForeignKey):
                    raise TypeError(f"{serializer_class.__name__}.{name}: a nested row must be a foreign key of the model")
                self.related.append((name, fk.attname, type(field)))
            elif isinstance(field, _COLUMN_FIELDS) and "." not in field.source:
                self._column(name, field.source, is_uuid=isinstance(field, serializers.UUIDField), field=field)
            else:
                raise TypeError(
                    f"{serializer_class.__name__}.{name}: {type(field).__name__} has no fast-path rendering"
                )
        for name, attname, _ in self.related:
            self.columns.append(attname)
        self.type_key = getattr(serializer, "type_key", None) if self.has_type else None
        if self.type_key:
            self.columns.append(self.type_key)
        self.id_index = self.names.index("id")
        self.related_index = len(self.names)
        self.many_index = len(self.names) + len(self.related)
        self.folded = {f"_fast_{name}": id_list(model, source) for name, source in self.many}
        # (index, output name, converter) of the names with a converter
        self.converted = [(i, name, c) for i, (name, c) in enumerate(zip(self.names, self.converters)) if c is not None]

    def _column(self, name, source, is_uuid, field=None):
        as_text = self._as_text(source, field) if self.as_text and not is_uuid else None
        if as_text or (is_uuid and self.as_text):
            key = f"_fast_{name}"
            expression, converter = as_text or (Cast, None)
            self.expressions[key] = expression(F(source), output_field=TextField())
        else:
            key = source
            converter = _uuid_text if is_uuid else self._converter(field)
        self.names.append(name)
        self.columns.append(key)
        self.converters.append(converter)
        self.fields.append(field)
        self.bare_text.append(bool(is_uuid and self.as_text) or bool(as_text and as_text[0] in (_DatetimeText, _DateText)))
        try:
            model_field = self.model._meta.get_field(source)
        except FieldDoesNotExist:
            model_field = None
        self.model_fields.append(model_field if model_field is not None and model_field.concrete else None)

    def _as_text(self, source, field):
        """(expression, converter) of a model field's column read as text
        (PostgreSQL), or None to read it typed: datetimes in UTC and dates
        written as DRF writes them, JSON read by orjson."""
        try:
            model_field = self.model._meta.get_field(source)
        except FieldDoesNotExist:
            return None
        if isinstance(field, serializers.DateTimeField) and isinstance(model_field, db_models.DateTimeField):
            if settings.TIME_ZONE == "UTC" and _iso_format(field):
                return _DatetimeText, None
        elif isinstance(field, serializers.DateField) and type(model_field) is db_models.DateField:
            if _iso_format(field):
                return _DateText, None
        elif isinstance(field, serializers.JSONField) and isinstance(model_field, db_models.JSONField):
            if model_field.decoder is None and not field.binary:
                return Cast, json_text
        return None

    @staticmethod
    def _converter(field):
        if isinstance(field, serializers.DateTimeField):
            return _datetime_converter(field)
        if isinstance(field, serializers.DateField):
            return field.to_representation
        if isinstance(field, serializers.DecimalField):
            return field.to_representation
        return None

    def values(self, queryset):
        """The row query, the many-to-many ids columns of it."""
        expressions = {**self.expressions, **self.folded}
        if expressions:
            queryset = queryset.annotate(**expressions)
        columns = self.columns
        if self.folded:
            # Before the type column, which row() reads last.
            cut = len(columns) - (1 if self.type_key else 0)
            columns = columns[:cut] + list(self.folded) + columns[cut:]
        return queryset.values_list(*columns)

    def related_rows(self, queryset, values=None):
        """{nested name: {related id: row}}: each relation in one query, by
        the ids already read when given (a page), else by subquery."""
        result = {}
        for i, (name, attname, serializer_class) in enumerate(self.related):
            model = serializer_class.Meta.model
            if values is not None:
                ids = {v[self.related_index + i] for v in values} - {None}
            else:
                ids = queryset.order_by().values(attname)
            result[name] = {obj.pk: serializer_class(obj).data for obj in model._default_manager.filter(pk__in=ids)}
        return result

    def row(self, values, related=None):
        """One row as the serializer shapes it, from its values()."""
        out = {"type": self.serializer.type_for_values(values[-1] if self.type_key else None)} if self.has_type else {}
        out.update(zip(self.names, values))  # values holds more columns after the names
        for i, name, convert in self.converted:
            value = values[i]
            if value is not None:
                out[name] = convert(value)
        for j, (name, _) in enumerate(self.many):
            out[name] = values[self.many_index + j]
        for i, (name, _, _) in enumerate(self.related):
            related_id = values[self.related_index + i]
            out[name] = None if related_id is None else related[name][_as_uuid(related_id)]
        return out


def plan_for(serializer_class):
    plan = _PLANS.get((serializer_class, connection.vendor))
    if plan is None:
        plan = _PLANS[(serializer_class, connection.vendor)] = RowPlan(serializer_class)
    return plan


def _with_children(plan, rows, children, probed=False):
    """Parents with their children merged in: `children` maps each children
    field to (child queryset, the child column naming its parent); children
    come in their parents' order, so both sides are read once, in step. The
    child queries run now, like the parents' (see iter_fast_rows)."""
    missing = {name for name, _ in plan.children} - set(children or {})
    if missing:
        raise TypeError(f"{type(plan.serializer).__name__}: no queryset for the children {sorted(missing)}")
    if not plan.children:
        return rows
    # The children of a list past SMALL_LIST rows (`probed`) are not probed either.
    streams = [
        (name, iter_fast_rows(children[name][0], child_class, probed=probed), children[name][1])
        for name, child_class in plan.children
    ]
    pending = {name: next(stream, None) for name, stream, _ in streams}

    def merged():
        for row in rows:
            for name, stream, parent_key in streams:
                kids = []
                while pending[name] is not None and pending[name][parent_key] == row["id"]:
                    kids.append(pending[name])
                    pending[name] = next(stream, None)
                row[name] = kids
            yield row

    return merged()


def fast_rows(queryset, serializer_class, children=None):
    """The same list as `serializer_class(queryset, many=True).data`, rendered."""
    plan = plan_for(serializer_class)
    values = list(plan.values(queryset))
    related = plan.related_rows(queryset, values) if plan.related else None
    return list(_with_children(plan, [plan.row(v, related) for v in values], children))


def reused_fast_rows(key, build, values, serializer_class, limit=None):
    """fast_rows() of `build(*values)` (at most `limit` rows) through a query
    compiled once per shape (zou_site.api.compiled); None when the shape
    has nested rows or children, which take queries of their own."""
    plan = plan_for(serializer_class)
    if plan.related or plan.children:
        return None

    def rows_query(*args):
        query = plan.values(build(*args))
        return query if limit is None else query[:limit]

    return [plan.row(v) for v in compiled.values_rows((key, serializer_class, limit), rows_query, values)]


def iter_fast_rows(queryset, serializer_class, chunk_size=2000, children=None, probed=False):
    """Rows one at a time, for streamed answers: a list of up to SMALL_LIST
    rows from one plain query, a longer one (or any, when `probed`: see
    SMALL_LIST) from a server-side cursor. The queries run and the first rows
    are fetched now, before the caller sends its 200: a database that is down
    is answered 503 (see zou_site.middleware), not with a 200 whose body
    breaks off."""
    plan = plan_for(serializer_class)
    small = None if probed else small_rows(plan, queryset, children)
    if small is not None:
        return small
    # Past SMALL_LIST rows (`probed`: the caller found more): a cursor.
    related = plan.related_rows(queryset) if plan.related else None
    values = plan.values(queryset).iterator(chunk_size=chunk_size)
    first = list(itertools.islice(values, 1))
    rows = (plan.row(row, related) for row in itertools.chain(first, values))
    return _with_children(plan, rows, children, probed=True)


def small_rows(plan, queryset, children):
    """The rows of a list of up to SMALL_LIST rows, read in one plain query,
    or None when it is longer."""
    small = list(plan.values(queryset)[: SMALL_LIST + 1])
    if len(small) > SMALL_LIST:
        return None
    related = plan.related_rows(queryset, small) if plan.related else None
    return _with_children(plan, (plan.row(row, related) for row in small), children)


class _Encoder(json.JSONEncoder):
    def default(self, value):
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        return super().default(value)


_json_encode = _Encoder(ensure_ascii=False, separators=(",", ":")).encode
_default = _Encoder().default


def encode_row(row):
    """A row (or a list of rows) as compact JSON bytes: orjson's, ~10x the
    json module's speed on the big lists, or the json module's where they
    would differ (zou_site.api.renderers.dumps). Datetimes are written with
    isoformat(), as before."""
    text = dumps(row, _default)
    return _json_encode(row).encode() if text is None else text
