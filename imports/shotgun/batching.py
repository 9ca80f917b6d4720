"""Statement sizes: every read and write of an import goes by chunks that stay
under the database's limit of parameters per statement (PostgreSQL: 65,535;
Django reads SQLite's as 999), so a batch of any size costs one statement per
chunk, never one per record."""

from django.db import connection
from django.db.models.expressions import RawSQL

POSTGRESQL_MAX_PARAMS = 65_535


def max_params():
    return connection.features.max_query_params or POSTGRESQL_MAX_PARAMS


def chunk_size(params_per_row, cap=None):
    size = max(1, max_params() // max(1, params_per_row))
    return min(size, cap) if cap else size


def chunks(items, size):
    items = items if isinstance(items, list) else list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_chunks(queryset, field, values):
    """`queryset` narrowed to the rows whose `field` is one of `values`, as one
    queryset per chunk of values."""
    column = queryset.model._meta.get_field(field)
    indexed = column.db_index or column.unique
    for chunk in chunks(values, chunk_size(1)):
        if connection.vendor == "postgresql" and indexed:
            yield queryset.filter(pk__in=_looked_up(queryset.model, column, chunk))
        else:
            yield queryset.filter(**{f"{field}__in": chunk})


def _looked_up(model, column, values):
    """The ids of `model`'s rows whose indexed `column` is one of `values`, one
    index look-up per value. `column IN (5,000 values)` is planned as a scan of
    the whole table under PostgreSQL's default random_page_cost once the table
    is large: 100 ms a chunk at 600k tasks, where the look-ups take 5."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return RawSQL(
        f"SELECT found.{pk} FROM unnest(%s::{column.db_type(connection)}[]) AS wanted(value)"
        f" CROSS JOIN LATERAL (SELECT t.{pk} FROM {table} t WHERE t.{quote(column.column)} = wanted.value OFFSET 0) found",
        [list(values)],
    )
