"""Long lists written by PostgreSQL (issue 16): each row's JSON text written
by PostgreSQL from the fast path's own columns (zou_site.api.fast_rows),
keys in the rows' order, children merged in as bytes; the worker builds no
dict per row and only joins the texts. The same bytes as the rows path, which
keeps SQLite, the short lists and the shapes PostgreSQL would write otherwise.
"""

import itertools

import psycopg2.extensions
from django.db import connection, models
from rest_framework import serializers

from zou_site.api.fast_rows import encode_row, iter_fast_rows, json_text, plan_for, small_rows


_INTEGERS = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField)  # and their Positive kinds


def writable(plan):
    """Whether PostgreSQL writes the rows of `plan` as the rows path does:
    every value a column whose JSON text it writes as orjson does (not a
    float, a Decimal, a nested row), a type it can compute, on PostgreSQL."""
    return (
        plan.as_text
        and not plan.related
        and all(
            converter in (None, json_text) and not isinstance(field, (serializers.FloatField, serializers.DecimalField))
            for field, converter in zip(plan.fields, plan.converters)
        )
        and (plan.type_key is None or hasattr(plan.serializer, "type_kept"))
    )


def json_query(plan, queryset, extra_names=()):
    """(sql, params) of the rows as PostgreSQL writes them: the row's JSON
    text with its keys in row()'s order (strings as to_json writes them,
    escaped as orjson does), then the text of each JSON
    column (null in the row's text: see _pg_rows), then the columns of
    `extra_names` (output names), read as bytes; None when the query
    selects other columns than values() names (DISTINCT's ordering)."""
    values = plan.values(queryset)
    compiler = values.query.get_compiler(values.db)
    sql, params = compiler.as_sql()
    n_names, n_many = len(plan.names), len(plan.many)
    width = n_names + n_many + (1 if plan.type_key else 0)
    if compiler.col_count != width:
        return None
    # concat() of the keys and values, each written as JSON: ids and dates
    # read as text go in as they are, quoted (in the keys' text when never
    # null), integers as PostgreSQL writes them, the rest through to_json.
    # row_to_json escaped every character of a row and looked up each
    # column's type on every row: a third more of PostgreSQL's time.
    parts = []  # a literal (str) or (SQL, its parameters)
    first = [True]

    def piece(key, value_sql=None, *value_params, quoted=None):
        parts.append(("{" if first[0] else ",") + encode_row(key).decode() + ":" + ('"' if quoted else ""))
        first[0] = False
        if quoted is not None:
            parts.append((quoted, value_params))
            parts.append('"')
        else:
            parts.append((value_sql, value_params))

    if plan.has_type and plan.type_key:
        column = f"s.c{width - 1}"
        kept = list(plan.serializer.type_kept)
        piece("type", f"to_json(CASE WHEN {column} IN ({', '.join(['%s'] * len(kept))}) THEN {column} ELSE %s END)::text",
              *kept, plan.serializer.type_other)
    elif plan.has_type:
        parts.append('{"type":' + encode_row(plan.serializer.type_for_values(None)).decode())
        first[0] = False
    for i, (name, converter, bare, model_field) in enumerate(zip(plan.names, plan.converters, plan.bare_text, plan.model_fields)):
        column = f"s.c{i}"
        never_null = model_field is not None and not model_field.null
        if converter is json_text:
            piece(name, "'null'")
        elif bare and never_null:
            piece(name, quoted=column)
        elif bare:
            piece(name, f"""coalesce('"' || {column} || '"', 'null')""")
        elif isinstance(model_field, _INTEGERS) and isinstance(plan.fields[i], serializers.IntegerField):
            piece(name, column if never_null else f"coalesce({column}::text, 'null')")
        else:
            piece(name, f"coalesce(to_json({column})::text, 'null')")
    for j, (name, source) in enumerate(plan.many):
        column = f"s.c{n_names + j}"
        if isinstance(plan.model._meta.get_field(source).related_model._meta.pk, models.UUIDField):
            piece(name, f"""CASE WHEN cardinality({column}) = 0 THEN '[]' ELSE '["' || array_to_string({column}, '","') || '"]' END""")
        else:
            piece(name, f"array_to_json({column})::text")
    parts.append("}")
    pieces, piece_params = [], []  # literals next to each other as one parameter
    for literal, group in itertools.groupby(parts, key=lambda part: isinstance(part, str)):
        if literal:
            pieces.append("%s")
            piece_params.append("".join(group))
        else:
            for value_sql, value_params in group:
                pieces.append(value_sql)
                piece_params.extend(value_params)
    outer = [f"concat({', '.join(pieces)})"] + [f"s.c{i}" for i, c in enumerate(plan.converters) if c is json_text]
    outer += [f"s.c{plan.names.index(name)}" for name in extra_names]
    # The subquery keeps its order.
    sql = f"SELECT {', '.join(outer)} FROM ({sql}) s({', '.join(f'c{i}' for i in range(width))})"
    return sql, (*piece_params, *params)


def _pg_rows(plan, query, chunk_size=2000):
    """The rows of `query` (json_query()'s) from a server-side cursor,
    as (row's JSON bytes, *extra columns' bytes). The query runs and its
    first rows are fetched now (see iter_fast_rows).

    A JSON column (`data`) comes apart, written by encode_row() as the rows
    of iter_fast_rows are: PostgreSQL writes a jsonb's text with spaces
    (`{"fps": 24}`) and its numbers as numerics (`0.00001` where Python
    writes `1e-05`). Its key's `null` in the row's text is replaced: the text
    `"<key>":null` occurs once in a row, as the key itself (a string's `"`
    is escaped)."""
    cursor = connection.chunked_cursor()
    try:
        psycopg2.extensions.register_type(psycopg2.extensions.BYTES, cursor.cursor)
        cursor.execute(*query)
        first = cursor.fetchmany(chunk_size)
    except BaseException:
        cursor.close()
        raise
    spliced = [(f'"{name}":null'.encode(), f'"{name}":'.encode()) for name, c in zip(plan.names, plan.converters) if c is json_text]
    n = len(spliced)

    def rows():
        try:
            chunk = first
            while chunk:
                for row in chunk:
                    text = row[0]
                    for (null, key), value in zip(spliced, row[1 : 1 + n]):
                        if value is not None:
                            text = text.replace(null, key + encode_row(json_text(value.decode())), 1)
                    yield (text, *row[1 + n :])
                chunk = cursor.fetchmany(chunk_size)
        finally:
            cursor.close()

    return rows()


def _pg_texts(plan, queryset, children):
    """The encoded rows of a long list as PostgreSQL writes them, children
    merged in as bytes (as _with_children merges rows); None when a shape
    has a value PostgreSQL would write otherwise (a float, a nested row) or
    on SQLite. PostgreSQL writes the JSON text of 80k tasks in the time it
    takes to write their columns as text; building a dict of each and
    encoding it cost the worker 3x the rows' SQL."""
    if not writable(plan):
        return None
    specs = []  # (b',"<name>":[', child plan, its query)
    for name, child_class in plan.children:
        child_plan = plan_for(child_class)
        child_queryset, parent_key = children[name]
        if not writable(child_plan) or child_plan.children or parent_key not in child_plan.names:
            return None
        specs.append((f',"{name}":['.encode(), child_plan, json_query(child_plan, child_queryset, (parent_key,))))
    query = json_query(plan, queryset, ("id",) if specs else ())
    if query is None or any(child_query is None for _, _, child_query in specs):
        return None
    parents = _pg_rows(plan, query)
    if not specs:
        return (row[0] for row in parents)
    streams = [(key, _pg_rows(child_plan, child_query)) for key, child_plan, child_query in specs]

    def merged():
        pending = [next(stream, None) for _, stream in streams]
        for text, parent_id in parents:
            parts = [text[:-1]]
            for k, (key, stream) in enumerate(streams):
                kids = []
                while pending[k] is not None and pending[k][1] == parent_id:
                    kids.append(pending[k][0])
                    pending[k] = next(stream, None)
                parts += (key, b",".join(kids), b"]")
            parts.append(b"}")
            yield b"".join(parts)

    return merged()


def json_array_chunks(texts, per_chunk=500):
    """A JSON array from encoded rows (bytes), as chunks: the answer is
    never held whole in memory."""
    yield b"["
    buffer, first = [], True
    for text in texts:
        buffer.append(text)
        if len(buffer) >= per_chunk:
            yield (b"" if first else b",") + b",".join(buffer)
            buffer, first = [], False
    if buffer:
        yield (b"" if first else b",") + b",".join(buffer)
    yield b"]"


def streamed_rows(queryset, serializer_class, children=None, probed=False):
    """A list as JSON chunks: a short one from its rows, a long one written
    by PostgreSQL where it can (_pg_texts), else from a cursor's rows."""
    plan = plan_for(serializer_class)
    rows = None if probed else small_rows(plan, queryset, children)
    texts = None
    if rows is None:
        missing = {name for name, _ in plan.children} - set(children or {})
        texts = None if missing else _pg_texts(plan, queryset, children)
    if texts is None:
        if rows is None:
            rows = iter_fast_rows(queryset, serializer_class, children=children, probed=True)
        texts = (encode_row(row) for row in rows)
    return json_array_chunks(texts)
