"""The bulk upsert engine shared by every Shotgun record kind.

An import costs a fixed number of queries whatever its size, plus one per chunk
of records (see batching.py): links resolve through LinkMaps, the rows a batch
may match are read by chunks of Shotgun ids, and writes go through COPY.

A record is matched to a row by its Shotgun id, else by the row's natural key
(the unique constraint of its table) when that row has no Shotgun id yet, so a
row made by hand is adopted rather than duplicated or refused. Only the fields
a record carries are written, and only rows that change are written at all.
"""

import uuid
from collections import defaultdict

from django.db import models
from django.utils import timezone

from imports.shotgun.batching import chunk_size, chunks, in_chunks
from imports.shotgun.lookups import LinkError, LinkMaps
from imports.shotgun.mapping import MAPPERS, MappingError
from imports.shotgun.previews import CREATED, UNCHANGED, UPDATED, PreviewDetails
from imports.shotgun.recording import store_import_events
from imports.shotgun.results import ImportResult, RecordError
from production.casting import stored_link_events
from production.models import EntityLink
from zou_site.bulk_insert import COPY_CHUNK, copyable, insert_instances, insert_rows, update_rows

# bulk_update's CASE WHEN per field grows with the batch: past this, update_rows.
UPDATE_BATCH = 1_000


class Staged:
    """One record on its way through an import."""

    __slots__ = ("index", "record", "mapped", "values", "many", "row", "new", "outcome", "many_now", "many_before", "adopted")

    def __init__(self, index, record, mapped):
        self.index, self.record, self.mapped = index, record, mapped
        self.values, self.many, self.row, self.new = {}, {}, None, None
        self.outcome, self.many_now, self.many_before, self.adopted = UNCHANGED, None, None, None


class KindImporter(PreviewDetails):
    kind = None
    model = None
    zou_type = None
    # Fields identifying a row besides its Shotgun id: its table's unique constraint.
    natural_key = ()
    # The many-to-many a record sets as a whole (assignees, casting), if any.
    many_field = None
    # Mapped links resolved only once the batch's own rows are known.
    late_many = ()
    # JSON fields merged key by key into what the row holds, not replaced.
    merged_json = ()
    hidden_fields = ()
    # Look-up tables wanted even when no record links them.
    extra_targets = ()
    # Small tables (projects, persons, steps, statuses) are read whole; others by Shotgun ids and adoptable().
    whole_table = True

    # Whether a batch may be imported a chunk of records at a time (see
    # services.shotgun_import): not when a record may link another record of
    # the batch (assets' parents), nor for the small tables read whole, whose
    # rules look at the batch as a whole (the last admin kept).
    @classmethod
    def streams(cls):
        return not cls.whole_table and not cls.late_many

    def __init__(self, records, progress=None, actor=None, seen=None, offset=0):
        # actor: who imports; kinds with rules about the person acting (persons) read it.
        self.records, self.actor = records, actor
        # When a batch goes by chunks: the first index of every Shotgun id of
        # the earlier chunks (shared and filled in), and this chunk's first index.
        self.seen = {} if seen is None else seen
        self.offset = offset
        self.progress = progress or (lambda count: None)
        self.result = ImportResult(self.kind)
        self.now = timezone.now()
        self.columns = {f.attname: f for f in self.model._meta.concrete_fields if f.attname not in self.hidden_fields}
        self.attnames = list(self.columns)
        self.checks = {attname: self.check_of(column) for attname, column in self.columns.items()}
        # Static defaults computed once: get_default() per field per row is a
        # measurable cost at 100k rows, and no default here is mutable.
        self.template = {name: f.get_default() for name, f in self.columns.items()}
        self.template.update(created_at=self.now, updated_at=self.now)

    def run(self):
        staged = self.stage()
        links = [link for item in staged for link in item.mapped.links.values() if link is not None]
        links += [link for item in staged for many in item.mapped.many.values() for link in many]
        self.links = LinkMaps(links, self.extra_targets)
        self.prepare(staged)
        staged = [item for item in staged if self.resolve(item)]
        staged = self.resolve_late(self.match(staged, self.candidate_rows(staged)))
        staged = self.guarded(staged)
        changes = self.many_changes(staged)
        self.classify(staged)
        self.links_created, self.links_deleted = [], []
        self.write(staged, changes)
        self.written(staged)
        store_import_events(
            self,
            [i for i in staged if i.outcome == CREATED],
            [i for i in staged if i.outcome == UPDATED],
            stored_link_events(created=self.links_created, deleted=self.links_deleted),
        )
        self.answer(staged)
        return self.result

    # Hooks a kind overrides.

    def prepare(self, staged):
        """Create the look-up rows the batch names (statuses, departments...)."""

    def complete(self, item):
        """Derive values from resolved links; may raise LinkError."""

    def scope(self):
        """The rows of this kind."""
        return self.model.objects.all()

    def adoptable(self, staged):
        """Querysets of the rows a batch may match by natural key, for tables too large to read whole."""
        return []

    def resolve_late(self, staged):
        return staged

    def guarded(self, staged):
        """The matched records a kind's rules let through (the others failed)."""
        return staged

    def written(self, staged):
        """Side effects of the rows just written (tokens of deactivated persons)."""

    def new_row(self):
        row = dict(self.template)
        row["id"] = uuid.uuid4()
        return row

    def instance(self, row):
        return self.model(**row)

    def late_changes(self, staged):
        """Through rows to write besides the many_field's, as many_changes answers."""
        return {}

    # The engine.

    def fail(self, index, record, reason):
        is_object = isinstance(record, dict)
        self.result.errors.append(
            RecordError(index, record.get("id") if is_object else None, record.get("type") if is_object else None, reason)
        )

    def stage(self):
        staged, first_index = [], self.seen
        for index, record in enumerate(self.records, start=self.offset):
            try:
                mapped = MAPPERS[self.kind](record)
            except MappingError as error:
                self.fail(index, record, str(error))
                continue
            first = first_index.setdefault(mapped.shotgun_id, index)
            if first != index:
                self.fail(index, record, f"Shotgun id {mapped.shotgun_id} was already sent at index {first}.")
                continue
            staged.append(Staged(index, record, mapped))
        return staged

    def resolve(self, item):
        try:
            values = dict(item.mapped.fields, shotgun_id=item.mapped.shotgun_id)
            for attname, link in item.mapped.links.items():
                values[attname] = None if link is None else self.links.resolve(link)
            item.values = values
            item.many = {
                name: [self.links.resolve(link) for link in links]
                for name, links in item.mapped.many.items()
                if name not in self.late_many
            }
            self.complete(item)
            self.validate(item.values)
        except (LinkError, MappingError) as error:
            self.fail(item.index, item.record, str(error))
            return False
        return True

    def validate(self, values):
        """What the database would refuse, refused per record instead of failing the batch."""
        checks = self.checks
        for attname, value in values.items():
            name, nullable, max_length, integer = checks[attname]
            if value is None:
                if not nullable:
                    raise MappingError(f"'{name}' cannot be empty.")
            elif max_length is not None and isinstance(value, str) and len(value) > max_length:
                raise MappingError(f"'{name}' is longer than {max_length} characters.")
            elif integer and isinstance(value, int) and abs(value) > 2**31 - 1:
                raise MappingError(f"'{name}' is out of range.")

    @staticmethod
    def check_of(column):
        """What validate() looks at in a column, read once per batch."""
        max_length = column.max_length if isinstance(column, models.CharField) else None
        return column.name, column.null, max_length, column.get_internal_type() == "IntegerField"

    def merge(self, row, values):
        """The row with the values written over it; the row itself when they change
        nothing, so that an unchanged re-import holds one dict per record, not two."""
        values = dict(values)
        for attname in self.merged_json:
            if attname in values and row.get(attname):
                values[attname] = {**row[attname], **values[attname]}
        if all(row[attname] == value for attname, value in values.items()):
            return row
        return {**row, **values}

    def key_of(self, row):
        return tuple(row[attname] for attname in self.natural_key)

    def describe_key(self, key):
        return ", ".join(f"{attname} {value!r}" for attname, value in zip(self.natural_key, key))

    def candidate_rows(self, staged):
        if self.whole_table:
            return self.read(self.scope())
        rows = self.read(*in_chunks(self.scope(), "shotgun_id", {item.mapped.shotgun_id for item in staged}))
        if self.natural_key:
            # Natural keys matter only to records new to the table or renamed
            # (they may adopt or clash with another row): on a re-import, none.
            by_shotgun_id = {row["shotgun_id"]: row for row in rows.values()}
            unsettled = [
                item
                for item in staged
                if (row := by_shotgun_id.get(item.mapped.shotgun_id)) is None
                or any(attname in item.values and item.values[attname] != row[attname] for attname in self.natural_key)
            ]
            rows.update(self.read(*self.adoptable(unsettled)))
        return rows

    def read(self, *querysets):
        return {row["id"]: row for queryset in querysets for row in queryset.values(*self.attnames)}

    def match(self, staged, rows):
        by_shotgun_id = {}
        for row in rows.values():
            if row["shotgun_id"] is not None:
                by_shotgun_id.setdefault(row["shotgun_id"], row)
        by_key = {self.key_of(row): row for row in rows.values()} if self.natural_key else {}
        claimed, kept = {}, []
        for item in staged:
            row = by_shotgun_id.get(item.mapped.shotgun_id)
            new = self.merge(row, item.values) if row is not None else {**self.new_row(), **item.values}
            if self.natural_key:
                key = self.key_of(new)
                holder = by_key.get(key)
                if holder is not None and row is None and holder["shotgun_id"] is None:
                    row, new = holder, self.merge(holder, item.values)
                    item.adopted = self.describe_key(key)
                elif holder is not None and holder is not row and self.seen.get(holder["shotgun_id"], self.offset) < self.offset:
                    # Written by an earlier chunk of this very batch.
                    first = self.seen[holder["shotgun_id"]]
                    self.fail(item.index, item.record, f"The record at index {first} has the same {self.describe_key(key)}.")
                    continue
                elif holder is not None and holder is not row:
                    taken = f" with Shotgun id {holder['shotgun_id']}" if holder["shotgun_id"] is not None else ""
                    self.fail(item.index, item.record, f"A {self.zou_type} with {self.describe_key(key)} already exists{taken}.")
                    continue
                if key in claimed:
                    self.fail(item.index, item.record, f"The record at index {claimed[key]} has the same {self.describe_key(key)}.")
                    continue
                claimed[key] = item.index
            item.row, item.new = row, new
            kept.append(item)
        return kept

    def many_changes(self, staged):
        """Per many-to-many field, the (source, target) through rows to add and the
        through ids to delete, so that each record's list becomes its row's list."""
        changes = self.late_changes(staged)
        if self.many_field is None:
            return changes
        adds, removes = [], []
        through, source, target = self.through(self.many_field)
        current = defaultdict(dict)
        for queryset in in_chunks(through.objects.all(), source, [item.new["id"] for item in staged if item.row]):
            for through_id, source_id, target_id in queryset.values_list("id", source, target):
                current[source_id][target_id] = through_id
        for item in staged:
            now = current.get(item.new["id"], {})
            item.many_before = list(now)
            wanted = item.many.get(self.many_field)
            if wanted is None:
                item.many_now = list(now)
                continue
            wanted = dict.fromkeys(wanted)
            item.many_now = list(wanted)
            added = [(item.new["id"], target_id) for target_id in wanted if target_id not in now]
            removed = [through_id for target_id, through_id in now.items() if target_id not in wanted]
            if added or removed:
                item.outcome = UPDATED
            adds += added
            removes += removed
        changes[self.many_field] = (adds, removes)
        return changes

    def through(self, name):
        m2m = self.model._meta.get_field(name)
        return m2m.remote_field.through, f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"

    def classify(self, staged):
        for item in staged:
            if item.row is None:
                item.outcome = CREATED
            elif any(item.new[attname] != item.row[attname] for attname in item.values):
                item.outcome = UPDATED
            setattr(self.result, item.outcome, getattr(self.result, item.outcome) + 1)
        self.progress(len(self.records) - self.result.created - self.result.updated)

    def write(self, staged, changes):
        created = [item for item in staged if item.outcome == CREATED]
        if self.copies_rows():
            # The rows as they are, through COPY: no instance, and created_at
            # is written as given (no auto_now_add to backdate).
            for batch in chunks(created, COPY_CHUNK):
                insert_rows(self.model, [item.new for item in batch])
                self.progress(len(batch))
            created = []
        # Instances live one chunk at a time: at 100k rows they weigh more than the rows.
        for batch in chunks(created, chunk_size(len(self.columns))):
            instances = [self.instance(item.new) for item in batch]
            self.model.objects.bulk_create(instances)
            for item, instance in zip(batch, instances):
                item.new.update(created_at=instance.created_at, updated_at=instance.updated_at)
            self.backdate(batch, instances)
            self.progress(len(batch))

        changed = [item for item in staged if item.outcome == UPDATED]
        fields_written = sorted({attname for item in changed for attname in item.values} | {"updated_at"})
        # Past UPDATE_BATCH rows, one UPDATE … FROM the rows copied into a temporary table (update_rows).
        by_copy = self.copies_rows() and len(changed) > UPDATE_BATCH
        for batch in chunks(changed, len(changed) if by_copy else chunk_size(2 * len(fields_written) + 1, UPDATE_BATCH)):
            for item in batch:
                item.new["updated_at"] = self.now
            if by_copy:
                update_rows(self.model, [item.new for item in batch], fields_written)
            else:
                self.model.objects.bulk_update([self.instance(item.new) for item in batch], fields_written)
            self.progress(len(batch))

        for name, (adds, removes) in changes.items():
            through, source, target = self.through(name)
            if copyable(through) and through._meta.auto_created:
                # A plain many-to-many table: its two columns and a serial id.
                insert_rows(through, [{source: source_id, target: target_id} for source_id, target_id in adds])
                adds = []
            # Casting links are rows of their own: their events name them (instances, COPY where it can).
            links = through is EntityLink
            for batch in chunks(adds, COPY_CHUNK if copyable(through) else chunk_size(2)):
                made = [through(**{source: source_id, target: target_id}) for source_id, target_id in batch]
                if copyable(through):
                    insert_instances(through, made)
                else:
                    through.objects.bulk_create(made)
                if links:
                    self.links_created += made
            for batch in chunks(removes, chunk_size(1)):
                if links:
                    self.links_deleted += through.objects.filter(id__in=batch).only("id", "entity_in_id", "entity_out_id", "nb_occurences")
                through.objects.filter(id__in=batch).delete()

    def copies_rows(self):
        """Whether rows go in as they are (COPY): not when the kind builds its instances (a person's password)."""
        return type(self).instance is KindImporter.instance and not self.hidden_fields and copyable(self.model)

    def backdate(self, batch, instances):
        """auto_now_add overwrites a created_at given on insert (a note's date): written again right after."""
        backdated = []
        for item, instance in zip(batch, instances):
            if "created_at" in item.values:
                instance.created_at = item.new["created_at"] = item.values["created_at"]
                backdated.append(instance)
        if backdated:
            self.model.objects.bulk_update(backdated, ["created_at"], batch_size=UPDATE_BATCH)

    def answer(self, staged):
        self.result.errors.sort(key=lambda error: error.index)
        details = [self.detail(item) for item in staged]
        self.label_details([detail for detail in details if detail])
        self.result.details += details
        for item in staged:
            # The row dict built for the write is the answer's row: no copy per record.
            row = item.new
            if self.many_field:
                row[self.many_field] = item.many_now
            row["type"] = self.zou_type
            self.result.rows.append(row)
            self.result.outcomes.append(item.outcome)
