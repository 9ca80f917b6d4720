"""The CSV pipeline the REST routes and manage.py commands call (the admin
drives the same Resources through django-import-export's own screens).

Import: the sheet is read lazily and fed to the kind's Resource a chunk at a
time, all inside one transaction: memory holds one chunk's cells, never the
whole sheet, and any bad row, or a dry run, rolls the whole transaction back. Export: the
Resource's rows streamed as CSV text, never the whole file in memory.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from import_export.results import RowResult

from imports.csv.resources import CSV_RESOURCES
from imports.csv.sheets import SheetError, csv_lines, read_sheet, sheet_chunks
from imports.models import DataImportError
from production import permissions
from production.auth.persons import may_write_persons, persons_write_check
from production.models import Person

CHUNK_ROWS = 2000
ACTIONS = {RowResult.IMPORT_TYPE_NEW: "created", RowResult.IMPORT_TYPE_UPDATE: "updated"}


class UnknownKind(LookupError):
    pass


def csv_resource_class(kind):
    """The Resource of a kind: `task_types` or `task-types`, and the seed
    document's singular spelling (`asset`) as well."""
    key = kind.replace("-", "_")
    resource = CSV_RESOURCES.get(key) or CSV_RESOURCES.get(f"{key}s")
    if resource is None:
        raise UnknownKind(f"Unknown CSV kind '{kind}': one of {', '.join(CSV_RESOURCES)}.")
    return resource


def may_import(person, kind):
    """Managers and admins import, into tables they may add to and change:
    persons only for admins (a manager could otherwise raise a role)."""
    model = csv_resource_class(kind)._meta.model
    if model is Person:
        return may_write_persons(person)
    opts = model._meta
    perms = [f"{opts.app_label}.{action}_{opts.model_name}" for action in ("add", "change")]
    return permissions.may_import(person) and person.has_perms(perms)


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # {"line", "action": "created"|"updated", "id", "name"} for each row written.
    rows: list = field(default_factory=list)
    # The id of every row of the sheet, unchanged ones too, in sheet order.
    ids: list = field(default_factory=list)
    # {"line", "column", "message"}: every bad cell; line and column are None
    # for an error that belongs to no row (a database error).
    errors: list = field(default_factory=list)
    # What rows named and the import created on the way: {"sequences": 2}.
    references_created: dict = field(default_factory=dict)

    @property
    def message(self):
        """What to answer when rows have errors."""
        count = len({error["line"] for error in self.errors})
        return f"{count} row{'s have' if count > 1 else ' has'} errors; nothing was imported."

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "references_created": self.references_created,
            "data": self.rows,
        }

    def add(self, result, sheet):
        """Fold one chunk's django-import-export Result into the report."""
        totals = result.totals
        self.created += totals[RowResult.IMPORT_TYPE_NEW]
        self.updated += totals[RowResult.IMPORT_TYPE_UPDATE]
        self.unchanged += totals[RowResult.IMPORT_TYPE_SKIP]
        # Every row has its result, in sheet order (report_skipped is on).
        for line, row in zip(sheet.lines, result.rows):
            if row.object_id is not None and row.import_type in (*ACTIONS, RowResult.IMPORT_TYPE_SKIP):
                self.ids.append(str(row.object_id))
            if row.import_type in ACTIONS:
                self.rows.append(
                    {"line": line, "action": ACTIONS[row.import_type], "id": str(row.object_id), "name": row.object_repr}
                )
        for invalid in result.invalid_rows:
            line = sheet.line_of(invalid.number)
            for column, messages in invalid.error_dict.items():
                column = None if column == NON_FIELD_ERRORS else column
                self.errors.extend({"line": line, "column": column, "message": m} for m in messages)
        for number, errors in result.row_errors():
            self.errors.extend({"line": sheet.line_of(number), "column": None, "message": str(e.error)} for e in errors)
        self.errors.extend({"line": None, "column": None, "message": str(e.error)} for e in result.base_errors)


def csv_import(*, kind, file, actor, dry_run=False, project=None, file_name="", progress=None):
    """Import a sheet of `kind` from `file` (a binary file, bytes or str):
    everything or, on any bad row, nothing. `project` scopes the rows to one
    project (their Project cell may then be blank). `progress(n)` is called
    as each chunk of n rows is done. `actor` is the person importing (or a
    production.auth.persons.SystemActor): persons are imported by admins only.
    Raises SheetError for a file that cannot be read as a sheet of this kind."""
    resource_class = csv_resource_class(kind)
    if resource_class._meta.model is Person:
        persons_write_check(actor, flag_hint="--persons")
    resource = resource_class(project=project, actor=actor)
    header, rows = read_sheet(file)
    header = resource.match_headers(header)
    report = ImportReport(kind=resource.kind, dry_run=dry_run)
    try:
        _import_rows(resource, header, rows, report, dry_run, progress)
    except SheetError as error:
        # A line found unreadable mid-sheet (rows are read lazily): the
        # transaction rolled back; keep the failure like any other.
        if not dry_run:
            _record_failure(resource, file_name, str(error), [])
        raise
    if report.errors and not dry_run:
        _record_failure(resource, file_name, report.message, report.errors)
    return report


def _record_failure(resource, file_name, message, errors):
    DataImportError.objects.create(
        source=DataImportError.Source.CSV,
        event_data={"kind": resource.kind, "file_name": file_name, "message": message, "errors": errors},
    )


def _import_rows(resource, header, rows, report, dry_run, progress):
    with transaction.atomic():
        for sheet in sheet_chunks(header, rows, CHUNK_ROWS):
            # dry_run stays False for the library: its rollback would be per
            # chunk, while later chunks rely on what earlier ones created.
            # The rollback is this transaction's, at the end.
            result = resource.import_data(sheet, dry_run=False, rollback_on_validation_errors=False)
            report.add(result, sheet)
            if progress:
                progress(len(sheet))
            if result.has_errors():
                break  # a database error: what follows would only fail after it
        report.references_created = dict(resource.references.created)
        if dry_run or report.errors:
            transaction.set_rollback(True)


@dataclass
class CsvExport:
    kind: str
    resource: object
    queryset: object

    @property
    def filename(self):
        return f"{self.kind}.csv"

    def chunks(self, wrap_rows=None):
        """The file as text chunks, header first. `wrap_rows` may wrap the
        iterator of rows (a progress bar)."""
        resource = self.resource
        rows = resource.export_rows(self.queryset)
        return csv_lines(resource.columns(), wrap_rows(rows) if wrap_rows else rows, resource.text_columns())


def csv_export(*, kind, project=None, person=None):
    """The rows of `kind` as a CSV stream, in a stable order; `project`
    narrows them to one project, `person` to what that person may see."""
    resource = csv_resource_class(kind)()
    return CsvExport(kind=resource.kind, resource=resource, queryset=resource.export_queryset(project=project, person=person))
