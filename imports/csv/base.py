"""The base of the six CSV Resources: how a sheet row is read, checked and
written, through two loops.

Each row of a chunk of the sheet is read once into model values (`parse`),
references resolved through the look-up maps of `References` and every bad
cell noted under its column; a kind may then fetch the chunk's existing rows
in one query. The natural key finds the existing row in those maps, and a
row's errors are reported all at once.

The REST routes, manage.py import_csv and import jobs run
services.import_chunk: the chunk's rows checked and assigned, its new rows
copied in and its changed rows updated in one statement each. The admin's
screens run django-import-export's own row loop (row results, its bulk
writes, the preview) through the library's hooks below, on the same parse,
checks and events."""

from copy import copy


from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader

from imports.csv.exporting import ExportRows
from imports.csv.recording import ImportEvents
from imports.csv.references import BadReference, References
from imports.csv.sheets import Sheet, SheetError
from production import events
from production.querysets import restrict_to_projects

class _Absent:
    """A column the sheet does not have; false like a blank cell."""

    def __bool__(self):
        return False

    def __repr__(self):
        return "ABSENT"


ABSENT = _Absent()


def header_key(name):
    """How headers are compared: case, spacing and underscores do not count."""
    return " ".join(str(name).replace("_", " ").split()).lower()


class ParsedRow:
    """A sheet row read into model values, with what is wrong, per column."""

    def __init__(self, row, widgets_by_column, line):
        self.row = row
        self.widgets_by_column = widgets_by_column
        self.line = line
        self.values = {}  # model attribute → value, for the columns the sheet has
        self.extra = {}  # what a kind sets beyond plain attributes (shot data keys, assignees)
        self.errors = {}  # column → message
        self.key = None  # the natural key, once its cells are valid
        self.changes = []  # "Column: old → new" of an existing row, in a dry run

    def cell(self, column, required=False):
        """The cell through its column's widget: ABSENT when the sheet has no
        such column, None when the cell is blank or wrong (the error noted)."""
        cell = self.row.get(column, ABSENT)
        if cell is ABSENT:
            return ABSENT
        try:
            # The column's widget, as its Field.clean() would call it (no default is set).
            value = self.widgets_by_column[column].clean(cell)
        except ValueError as error:
            self.errors[column] = str(error)
            return None
        if required and value in (None, ""):
            self.errors[column] = f"{column} is required."
            return None
        return value

    def resolve(self, column, lookup, *args):
        """A look-up through References; None with the error noted when it fails."""
        try:
            return lookup(*args)
        except BadReference as error:
            self.fail(column, str(error))
            return None

    def fail(self, column, message):
        self.errors.setdefault(column, message)

    def set(self, attribute, value):
        if value is not ABSENT:
            self.values[attribute] = value


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds a row's existing instance by its natural key in the Resource's
    maps, instead of a query per row."""

    def get_instance(self, row):
        return self.resource.existing_instance()


class CsvResource(ExportRows, resources.ModelResource):
    kind = ""
    noun = "row"
    # The columns a sheet must have; the others may be left out, and then the
    # fields they fill are left as they are.
    required_columns = ("Name",)
    # The column a duplicate row is reported under.
    key_column = "Name"
    # Other spellings of a header: {"Type": "Category"}.
    header_aliases = {}
    # The model fields a row sets: compared to tell "unchanged", and bulk-updated.
    written_fields = ()
    # The Entity fields the References' entity maps load (None: all of them),
    # and the entity types they load (None: all of them).
    entity_fields = None
    mapped_entity_types = None

    class Meta:
        import_id_fields = ()
        instance_loader_class = NaturalKeyLoader
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        use_transactions = True
        chunk_size = 2000

    def __init__(self, project=None, actor=None, **kwargs):
        super().__init__(**kwargs)
        # Who imports (None when the Resource only exports): kinds with rules
        # about the person acting (persons) read it.
        self.actor = actor
        # django-import-export stores per-import flags on _meta (store_instance,
        # set by an admin import); a copy per Resource keeps them from leaking
        # into the next import.
        self._meta = copy(type(self)._meta)
        self.project = project
        self.references = References(entity_fields=self.entity_fields, mapped_types=self.mapped_entity_types)
        self.events = ImportEvents(self)
        self.before = None  # the row's compared values before import_instance assigned it
        self.fields_by_column = {field.column_name: field for field in self.fields.values()}
        self._widgets_by_column = {column: field.widget for column, field in self.fields_by_column.items()}
        self.first_lines = {}
        self.chunk = []
        self.parsed = None
        self.changed = True
        model_meta = self._meta.model._meta
        self._compared = [model_meta.get_field(name).attname for name in self.written_fields]
        # The fields validate_fields() checks: the written ones that hold a
        # value of their own, but dates (the widget made them, and a date
        # field has no validator).
        self._validated = [
            f for f in model_meta.fields
            if f.name in self.written_fields and not f.is_relation and not isinstance(f, models.DateField)
        ]
        # A new row's values in the model's field order, as Model(*values)
        # takes them (a third of the time of keyword arguments): callable
        # defaults (ids, dicts) are called for each row.
        self._defaults = [
            (field.default if field.has_default() and callable(field.default) else None, field.get_default())
            for field in model_meta.concrete_fields
        ]
        self._column_of_field = {
            field.attribute.split("__")[0]: field.column_name for field in self.fields.values() if field.attribute
        }

    # Headers.
    def columns(self):
        return [field.column_name for field in self.get_export_fields()]

    def match_headers(self, headers):
        """The sheet's headers spelled as this kind's columns. SheetError when
        a column the kind needs is missing or one is given twice."""
        known = {header_key(column): column for column in self.columns()}
        known.update({header_key(alias): column for alias, column in self.header_aliases.items()})
        matched = [known.get(header_key(header), header) for header in headers]
        for column in matched:
            if column in known.values() and matched.count(column) > 1:
                raise SheetError(f"The column '{column}' is given twice.")
        required = [c for c in self.required_columns if not (c == "Project" and self.project is not None)]
        missing = [column for column in required if column not in matched]
        if missing:
            raise SheetError(
                f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
                f"A {self.kind} sheet has the columns: {', '.join(self.columns())}."
            )
        return matched

    def import_data(self, dataset, rollback_on_validation_errors=True, **kwargs):
        """All or nothing unless the caller holds the transaction: the admin's
        confirm step would otherwise keep the good rows of a sheet with bad ones."""
        result = super().import_data(dataset, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs)
        if not (kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors()):
            # Rows with errors roll the whole import back: events only for a written chunk.
            events.store(self.events.built(self.references.take_created_rows()))
        if isinstance(dataset, Sheet):
            # django-import-export numbers rows from 1 under the header; people read the file's lines.
            for row in result.invalid_rows:
                row.line = dataset.line_of(row.number)
        return result

    # The row loop, in the order django-import-export calls it.
    def before_import(self, dataset, **kwargs):
        try:
            dataset.headers = self.match_headers(dataset.headers or [])
        except SheetError:
            # Without its columns no row can be read: dropping the rows makes
            # the import report this one error rather than one per row.
            del dataset[:]
            raise
        # Every row of the chunk is read before any is imported, so that a
        # kind can fetch the chunk's existing rows in one query.
        lines = dataset.lines if isinstance(dataset, Sheet) else range(2, len(dataset) + 2)
        self.chunk = [self.parse_row(dict(zip(dataset.headers, row)), line) for row, line in zip(dataset, lines)]
        self.prefetch_existing(self.chunk)

    def after_write(self):
        """What a kind writes once the chunk's rows are (a task's assignees)."""

    def parse_row(self, row, line):
        parsed = ParsedRow(row, self._widgets_by_column, line)
        self.parse(parsed)
        return parsed

    def prefetch_existing(self, parsed_rows):
        """Load what find_existing() needs for these rows; the maps of
        References serve most kinds already."""

    def before_import_row(self, row, row_number=None, **kwargs):
        self.parsed = self.chunk[row_number - 1]
        self.changed = True

    def parse(self, parsed):
        """Fill parsed.values, parsed.errors and parsed.key from the row."""
        raise NotImplementedError

    def init_instance(self, row=None):
        return self._meta.model(*[make() if make else value for make, value in self._defaults])

    def existing_instance(self):
        parsed = self.parsed
        if parsed.key is None:
            return None
        first = self.first_lines.setdefault(parsed.key, parsed.line)
        if first != parsed.line:
            parsed.fail(self.key_column, f"Line {first} already gives this {self.noun}; give each {self.noun} once.")
            return None
        return self.find_existing(parsed)

    def find_existing(self, parsed):
        """The instance the row's natural key names, or None: from maps, no query."""
        raise NotImplementedError

    def project_of(self, parsed):
        """The row's project: the sheet's Project cell, or the project the
        import was started for (gazu's project-scoped routes)."""
        name = parsed.cell("Project")
        if self.project is not None:
            if name in (ABSENT, None, "") or name == self.project.name:
                return self.project
            parsed.fail("Project", f"This sheet is for the project '{self.project.name}', not '{name}'.")
            return None
        if not name:
            parsed.fail("Project", "Project is required.")
            return None
        return parsed.resolve("Project", self.references.project, name)

    def import_instance(self, instance, row, **kwargs):
        self.apply_row(instance, self.parsed, dry_run=kwargs.get("dry_run"))
        if self.parsed.errors:
            raise ValidationError({column: [message] for column, message in self.parsed.errors.items()})

    def apply_row(self, instance, parsed, dry_run=False):
        """Set the row's values on the instance unless the row has errors
        already; self.changed tells whether anything changed, self.before
        what the compared fields held (None for a new row)."""
        if not parsed.errors:
            before = self.snapshot(instance)
            self.assign(instance, parsed)
            self.validate_fields(instance, parsed)
            self.changed = instance._state.adding or self.snapshot(instance) != before
            self.before = None if instance._state.adding else before
            if self.changed and not instance._state.adding and dry_run:
                parsed.changes = self.describe_changes(instance, before)

    def assign(self, instance, parsed):
        for attribute, value in parsed.values.items():
            setattr(instance, attribute, value)

    def snapshot(self, instance):
        return tuple(getattr(instance, attname) for attname in self._compared)

    def describe_changes(self, instance, before):
        """'Column: old → new' for each written field a row changes, as the
        preview shows an update before it is confirmed. A changed reference
        (a status, a sequence) is read once per distinct old value."""
        changes = []
        for attname, old, new in zip(self._compared, before, self.snapshot(instance)):
            if old == new:
                continue
            # get_field() knows fields by attname too ("task_status_id").
            field = instance._meta.get_field(attname)
            column = self._column_of_field.get(field.name, field.name.replace("_", " ").capitalize())
            if isinstance(old, dict) or isinstance(new, dict):
                changes += self._describe_data(old or {}, new or {})
            elif field.is_relation:
                changes.append(f"{column}: {self._related_label(field, old)} → {getattr(instance, field.name)}")
            else:
                changes.append(f"{column}: {self._cell(field.name, old)} → {self._cell(field.name, new)}")
        return changes

    def _cell(self, name, value):
        """A value as the sheet writes it (hours for a task's seconds)."""
        if value in (None, ""):
            return "—"
        exported = self.fields.get(name)
        if exported is not None and exported.attribute == name:
            return exported.widget.render(value) or "—"
        return str(value)

    def _describe_data(self, old, new):
        columns = {field.attribute.split("__", 1)[1]: field.column_name for field in self.fields.values() if (field.attribute or "").startswith("data__")}
        return [
            f"{columns.get(key, key)}: {self._cell(None, old.get(key))} → {self._cell(None, new.get(key))}"
            for key in sorted(set(old) | set(new), key=str)
            if old.get(key) != new.get(key)
        ]

    def _related_label(self, field, pk):
        if pk is None:
            return "—"
        cache = self.__dict__.setdefault("_related_labels", {})
        key = (field.related_model, pk)
        if key not in cache:
            cache[key] = str(field.related_model._base_manager.filter(pk=pk).first() or pk)
        return cache[key]

    def validate_fields(self, instance, parsed):
        """The model's own field checks (lengths, choices, email), as
        clean_fields() runs them, without the queries full_clean() would run
        for foreign keys and uniqueness: the maps already settled those."""
        for field in self._validated:
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            try:
                setattr(instance, field.attname, field.clean(raw, instance))
            except ValidationError as error:
                parsed.fail(self._column_of_field.get(field.name, field.name), error.messages[0])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skipped = not import_validation_errors and not self.changed
        if not skipped and not import_validation_errors:
            self.events.row_written(instance, self.before)
        return skipped

    def before_save_instance(self, instance, row, **kwargs):
        # bulk_update() does not run auto_now, so the update time is set here.
        if not instance._state.adding:
            instance.updated_at = timezone.now()

    def get_bulk_update_fields(self):
        return [*self.written_fields, "updated_at"]

    def after_import_row(self, row, row_result, **kwargs):
        # The admin's preview shows row.diff; with skip_diff it is empty, so a
        # dry run shows the row's cells instead.
        if kwargs.get("dry_run") and row_result.is_valid():
            row_result.diff = [row.get(column, "") for column in self.get_diff_headers()]
            row_result.changes = self.parsed.changes

    def after_import(self, dataset, result, **kwargs):
        """ModelResource's version resets integer id sequences, and every id
        here is a UUID. What the rows named and had to be created is kept on
        the result for the admin's preview: {kind: [names]}."""
        result.created_references = {kind: list(names) for kind, names in self.references.created_names.items()}

    # Export.
    def visible_to(self, queryset, person):
        return restrict_to_projects(queryset, person)

    def in_project(self, queryset, project):
        return queryset.filter(project=project)

    def export_queryset(self, *, project=None, person=None):
        queryset = self.get_queryset()
        if person is not None:
            queryset = self.visible_to(queryset, person)
        if project is not None:
            queryset = self.in_project(queryset, project)
        return self.filter_export(queryset)

    def filter_export(self, queryset, **kwargs):
        """The rows in a stable order, with what the columns read joined or
        prefetched per chunk rather than fetched per row."""
        return queryset
