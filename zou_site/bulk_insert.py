"""Insert many rows at once: PostgreSQL's COPY where the columns allow it, else
one INSERT run over all of them (executemany).

bulk_create builds a model instance per row and compiles an INSERT whose
parameters are adapted one by one; at 100k rows that is most of an import's
time. COPY takes the rows as text in one stream. Rows are dicts by column
(`task_status_id`), with every concrete field of the model present; what the
database would refuse (a constraint, a too-long value) fails the COPY as it
fails an INSERT, so callers validate as before. auto_now and auto_now_add are
not applied: rows carry their own created_at and updated_at.
"""

import io
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

# Field types written as text without Django's get_db_prep_save: the ones our
# models use. A model with any other concrete field goes through bulk_create.
_TEXT = (models.CharField, models.TextField, models.EmailField, models.SlugField, models.URLField)
_NUMBER = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
           models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.FloatField, models.DecimalField)
_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
# Rows per COPY buffer: the text of a chunk, not of the whole batch, is held.
COPY_CHUNK = 5_000
# Values a column's converter remembers at most (see _remembered).
_REMEMBERED = 10_000


def _text(value):
    text = str(value)
    # Four scans in C are cheaper than translate(), which looks up every character.
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        return text.translate(_ESCAPES)
    return text


def _uuid(value):
    # PostgreSQL reads the 32 hex digits without hyphens; cheaper than str().
    return value.hex if isinstance(value, uuid.UUID) else _text(value)


def _number(value):
    # A number's text holds nothing to escape.
    return str(value) if isinstance(value, (int, float, Decimal)) else _text(value)


def _boolean(value):
    return "t" if value else "f"


def _moment(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else _text(value)


def _json_of(field):
    encoder = field.encoder

    def convert(value):
        return json.dumps(value, cls=encoder).translate(_ESCAPES)

    return convert


def _remembered(convert):
    """`convert` remembering its answers, for the columns whose values repeat
    (foreign keys, dates: a chunk's rows share their created_at)."""
    known = {}

    def remembered(value):
        text = known.get(value)
        if text is None:
            if len(known) > _REMEMBERED:
                known.clear()
            text = known[value] = convert(value)
        return text

    return remembered


def _converter(field):
    """How a non-null value of `field` is written in COPY's text format, or None
    when this module does not know the field's type."""
    if field.is_relation:
        convert = _converter(field.target_field)
        return convert and _remembered(convert)
    if isinstance(field, (models.DateTimeField, models.DateField)):
        return _remembered(_moment)
    if isinstance(field, models.JSONField):
        return _json_of(field)
    if isinstance(field, models.UUIDField):
        return _uuid
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, (models.DateTimeField, models.DateField)):
        return _moment
    if isinstance(field, _NUMBER):
        return _number
    if isinstance(field, _TEXT):
        return _text
    return None


def _plan(model):
    # Serial ids (an auto-created many-to-many table's) are the database's to number.
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, AutoFieldMixin)]
    converters = [_converter(field) for field in fields]
    if None in converters:
        return None
    return [field.attname for field in fields], [field.column for field in fields], converters


def copyable(model):
    return connection.vendor == "postgresql" and _plan(model) is not None


def insert_rows(model, rows):
    """Insert `rows` (dicts by attname holding every concrete field) into
    `model`'s table, in the current transaction."""
    plan = _plan(model) if connection.vendor == "postgresql" else None
    if plan is None:
        _insert_by_statement(model, rows)
        return
    attnames, columns, converters = plan
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN"
    pairs = list(zip(attnames, converters))
    rows = rows if isinstance(rows, list) else list(rows)
    with connection.cursor() as cursor:
        _copy_in(cursor, sql, rows, pairs)


def _copy_in(cursor, sql, rows, pairs):
    """COPY the rows (a list) in buffers of COPY_CHUNK rows; `pairs`: (attname, converter) per column."""
    for start in range(0, len(rows), COPY_CHUNK):
        buffer = io.StringIO()
        write = buffer.write
        for row in rows[start : start + COPY_CHUNK]:
            write("\t".join("\\N" if (value := row[name]) is None else convert(value) for name, convert in pairs))
            write("\n")
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)


def _insert_by_statement(model, rows):
    """The same rows through an INSERT per chunk (SQLite, or a field type COPY
    is not taught here), values prepared by each field as the ORM does."""
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, AutoFieldMixin)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[field.get_db_prep_save(row[field.attname], connection) for field in fields] for row in rows])


def insert_instances(model, instances):
    """insert_rows for unsaved model instances (their defaults already set)."""
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, AutoFieldMixin)]
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    for instance in instances:
        for field in stamped:
            field.pre_save(instance, True)  # as an INSERT would: created_at, updated_at set now
    attnames = [field.attname for field in fields]
    insert_rows(model, [{name: getattr(instance, name) for name in attnames} for instance in instances])
    for instance in instances:
        # Saved, as bulk_create leaves them.
        instance._state.adding, instance._state.db = False, connection.alias


def update_rows(model, rows, names):
    """Set the fields `names` (names or attnames) of existing rows of `model`,
    given as dicts by attname holding the primary key and those fields, in the current
    transaction. PostgreSQL: the rows copied into a temporary table, then one
    UPDATE … FROM it (bulk_update's CASE per field and row costs quadratic
    time in a batch); elsewhere, or for a field type COPY is not taught here,
    one UPDATE per row run over all of them (executemany)."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    converters = [_converter(field) for field in fields] if connection.vendor == "postgresql" else [None]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    if None in converters:
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields[1:])
        sql = f"UPDATE {table} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [[field.get_db_prep_save(row[field.attname], connection) for field in (*fields[1:], fields[0])] for row in rows],
            )
        return
    columns = [quote(field.column) for field in fields]
    temporary = quote(f"update_{meta.db_table}")
    pairs = [(field.attname, convert) for field, convert in zip(fields, converters)]
    assignments = ", ".join(f"{column} = changed.{column}" for column in columns[1:])
    rows = rows if isinstance(rows, list) else list(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {temporary} AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA")
        _copy_in(cursor, f"COPY {temporary} FROM STDIN", rows, pairs)
        # Its size known, the planner joins by the primary key's index rather
        # than reading the whole table.
        cursor.execute(f"ANALYZE {temporary}")
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {temporary} AS changed WHERE {table}.{columns[0]} = changed.{columns[0]}"
        )
        cursor.execute(f"DROP TABLE {temporary}")


def update_instances(model, instances, names):
    """update_rows for saved model instances: their current values of the fields `names`."""
    attnames = [model._meta.pk.attname, *(model._meta.get_field(name).attname for name in names)]
    update_rows(model, [{attname: getattr(instance, attname) for attname in attnames} for instance in instances], names)
