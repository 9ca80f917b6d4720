"""Statement sizes: every read and write of an import goes by chunks that stay
under the database's limit of parameters per statement (PostgreSQL: 65,535;
Django reads SQLite's as 999), so a batch of any size costs one statement per
chunk, never one per record."""

from django.db import connection

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
    for chunk in chunks(values, chunk_size(1)):
        yield queryset.filter(**{f"{field}__in": chunk})
