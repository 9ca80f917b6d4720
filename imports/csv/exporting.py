"""How a CSV kind's rows are read for export: tuples from values_list() or
raw SQL through a server-side cursor, never model instances (issue 16: a
project's 96k tasks were built as instances at 3k rows/s). The REST route,
manage.py export_csv and the admin's export all read export_rows();
imports.csv.sheets.csv_lines() writes them."""

import tablib
from django.db import connection

from imports.csv.sheets import text_cell

# Rows a server-side cursor fetches at a time for an export.
EXPORT_CHUNK_ROWS = 5000
_POSTGRES_UUIDS = (2950, 2951)  # the oids of uuid and uuid[]


def stream_rows(sql, params):
    """The rows of a query through a server-side cursor (PostgreSQL's; all
    at once elsewhere), EXPORT_CHUNK_ROWS at a time, as the driver gives them:
    no model field converters, and ids (and arrays of ids) as their text,
    what a key needs to look things up: psycopg2 would build a UUID object
    per id. On SQLite, ids are stored as text."""
    with connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2 import extensions

            extensions.register_type(extensions.new_type(_POSTGRES_UUIDS, "UUID_TEXT", lambda value, _: value), cursor.cursor)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(EXPORT_CHUNK_ROWS):
            yield from rows


class ExportRows:
    """The export half of CsvResource (a django-import-export ModelResource)."""

    def export_rows(self, queryset):
        """The cells of each row of an export_queryset(), lazily, read with
        values_list() (building model instances was most of an export's time):
        what the database gives for text columns (text_columns(), which the
        writer passes through text_cell()), the widget's rendering for the
        others (hours, dates)."""
        fields = self.get_export_fields()
        rendered = [(index, field.widget.render) for index, field in enumerate(fields) if not field.widget.is_text]
        rows = queryset.prefetch_related(None).values_list(*(field.attribute for field in fields))
        for row in rows.iterator(chunk_size=EXPORT_CHUNK_ROWS):
            if rendered:
                row = list(row)
                for index, render in rendered:
                    row[index] = render(row[index])
            yield row

    def text_columns(self):
        """The indexes of the columns export_rows() leaves as the database
        gives them; its other cells are written already."""
        return [index for index, field in enumerate(self.get_export_fields()) if field.widget.is_text]

    def export(self, queryset=None, **kwargs):
        """The admin's export (a tablib Dataset, of the columns the person
        picked): the cells of the REST route and manage.py, from the same
        export_rows()."""
        self.before_export(queryset, **kwargs)
        queryset = self.filter_export(self.get_queryset() if queryset is None else queryset, **kwargs)
        picked = self.get_export_fields(kwargs.get("export_fields"))
        columns = self.columns()
        indexes = [columns.index(field.column_name) for field in picked]
        text = set(self.text_columns())
        dataset = tablib.Dataset(headers=[field.column_name for field in picked])
        for row in self.export_rows(queryset):
            dataset.append([text_cell(row[i]) if i in text else row[i] for i in indexes])
        self.after_export(queryset, dataset, **kwargs)
        return dataset
