"""The CSV pipeline the REST routes and manage.py commands call (the admin
drives the same Resources through django-import-export's own screens).

Import: the sheet is read lazily and fed to the kind's Resource a chunk at a
time, all inside one transaction: memory holds one chunk's cells, never the
whole sheet, and any bad row, or a dry run, rolls the whole transaction back. Export: the
Resource's rows streamed as CSV text, never the whole file in memory.
"""

import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, transaction

from imports.csv.resources import CSV_RESOURCES
from imports.csv.sheets import SheetError, csv_lines, read_sheet, written_lines
from imports.models import DataImportError
from production import events, permissions
from production.auth.persons import may_write_persons, persons_write_check
from production.models import Person
from zou_site.bulk_insert import insert_instances, update_instances



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

    def add(self, outcomes, keep_rows=True):
        """Fold one chunk's outcomes (import_chunk) into the report."""
        for parsed, action, instance in outcomes:
            if action is None:
                self.errors.extend(
                    {"line": parsed.line, "column": column, "message": message} for column, message in parsed.errors.items()
                )
                continue
            if action == "unchanged":
                self.unchanged += 1
            elif action == "created":
                self.created += 1
            else:
                self.updated += 1
            if keep_rows:
                self.ids.append(str(instance.pk))
                if action != "unchanged":
                    self.rows.append({"line": parsed.line, "action": action, "id": str(instance.pk), "name": str(instance)})


def csv_import(*, kind, file, actor, dry_run=False, project=None, file_name="", progress=None, keep_rows=True):
    """Import a sheet of `kind` from `file` (a binary file, bytes or str):
    everything or, on any bad row, nothing. `project` scopes the rows to one
    project (their Project cell may then be blank). `progress(n)` is called
    as each chunk of n rows is done. `actor` is the person importing (or a
    production.auth.persons.SystemActor): persons are imported by admins only.
    `keep_rows=False` leaves the report's rows and ids out (a command prints
    counts: memory stays flat in the sheet's size).
    Raises SheetError for a file that cannot be read as a sheet of this kind."""
    resource_class = csv_resource_class(kind)
    if resource_class._meta.model is Person:
        persons_write_check(actor, flag_hint="--persons")
    resource = resource_class(project=project, actor=actor)
    header, rows = read_sheet(file)
    header = resource.match_headers(header)
    report = ImportReport(kind=resource.kind, dry_run=dry_run)
    try:
        _import_rows(resource, header, rows, report, dry_run, progress, keep_rows)
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


def import_chunk(resource, header, batch):
    """Import a chunk of (line, cells) rows of a sheet whose headers are
    `header` (matched): a list of (parsed row, action, instance), action being
    "created", "updated", "unchanged", or None for a row with errors
    (parsed.errors, by column), which is not written.

    The same parse, look-ups, checks and events as django-import-export's
    row loop (which the admin's screens keep) runs through the Resource's
    hooks, without the library's per-row machinery (row results, instance
    loaders); the chunk's new rows are copied in and its changed rows updated
    in one statement (zou_site.bulk_insert)."""
    width = len(header)
    resource.chunk = chunk = [
        resource.parse_row(dict(zip(header, cells if len(cells) == width else (cells + [""] * width)[:width])), line)
        for line, cells in batch
    ]
    resource.prefetch_existing(chunk)
    outcomes, created, updated = [], [], []
    for parsed in chunk:
        resource.parsed, resource.changed = parsed, True
        instance = resource.existing_instance()
        adding = instance is None
        if adding:
            instance = resource.init_instance()
        resource.apply_row(instance, parsed)
        action = None
        if not parsed.errors:
            action = "unchanged"
            if resource.changed:
                action = "created" if adding else "updated"
                resource.events.row_written(instance, resource.before)
                resource.before_save_instance(instance, None)
                (created if adding else updated).append(instance)
        outcomes.append((parsed, action, instance))
    model = resource._meta.model
    insert_instances(model, created)
    update_instances(model, updated, resource.get_bulk_update_fields())
    resource.after_write()
    return outcomes


def _import_rows(resource, header, rows, report, dry_run, progress, keep_rows):
    """The sheet a chunk of CSV_IMPORT_CHUNK_ROWS rows at a time, in one
    transaction, rolled back on any error or for a dry run. Rows are written
    (a dry run's too, rolled back with them: later rows may depend on them);
    events are stored, per chunk, while no row has failed."""
    size = settings.CSV_IMPORT_CHUNK_ROWS
    with transaction.atomic():
        while batch := list(itertools.islice(rows, size)):
            try:
                # A savepoint: a database error leaves the transaction usable for the failure's report.
                with transaction.atomic():
                    outcomes = import_chunk(resource, header, batch)
            except DatabaseError as error:
                report.errors.append({"line": None, "column": None, "message": str(error)})
                break  # what follows would only fail after it
            report.add(outcomes, keep_rows)
            created_references = resource.references.take_created_rows()
            if dry_run or report.errors:
                resource.events.discard()
            else:
                events.store(resource.events.built(created_references), hold=False)
            if progress:
                progress(len(batch))
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
        wrap_rows = wrap_rows or iter
        if hasattr(resource, "export_lines"):  # a kind that writes its lines itself (tasks)
            return written_lines(resource.columns(), wrap_rows(resource.export_lines(self.queryset)))
        return csv_lines(resource.columns(), wrap_rows(resource.export_rows(self.queryset)), resource.text_columns())


def csv_export(*, kind, project=None, person=None):
    """The rows of `kind` as a CSV stream, in a stable order; `project`
    narrows them to one project, `person` to what that person may see."""
    resource = csv_resource_class(kind)()
    return CsvExport(kind=resource.kind, resource=resource, queryset=resource.export_queryset(project=project, person=person))
