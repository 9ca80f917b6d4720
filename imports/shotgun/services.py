"""The Shotgun import service: the one pipeline behind the REST routes, the
admin upload screen and `manage.py import_shotgun`."""

import gc
from contextlib import contextmanager
from itertools import islice

import orjson

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from imports.models import DataImportError
from imports.shotgun.batching import chunk_size
from imports.shotgun.kinds import IMPORTERS
from imports.shotgun.mapping import KINDS
from imports.shotgun.results import ImportResult
from production.auth.persons import persons_delete_check, persons_write_check
from production.models import Comment, Person, Task
from zou_site.api.errors import protected_message
from zou_site.parsers import nul_path

# Records per chunk of a streamed import: the memory of one chunk's rows,
# maps and statements, whatever the size of the batch.
STREAM_CHUNK = 5_000
# Any constant will do: it names the one lock all Shotgun imports share.
IMPORT_LOCK_KEY = 0x5D6E_1A7


class ShotgunImportError(Exception):
    """An import or removal refused as a whole: nothing was written."""


class UnknownKind(ShotgunImportError):
    pass


def importer_for(kind):
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise UnknownKind(f"Unknown Shotgun kind '{kind}'. Known kinds: {', '.join(KINDS)}.")


def shotgun_records_check(records, offset=0):
    """Refuse the batch when a record holds text no database can store (a NUL
    character or an unpaired surrogate, in a value or a key, however deep):
    such a record could not even be kept as an import error, since the error
    stores the record itself. Every door calls this before anything is written
    (a streamed batch, on each chunk before it is written: the transaction
    then undoes the earlier chunks). `offset`: the index of records[0]."""
    if not isinstance(records, list):
        raise ShotgunImportError("The records must be a JSON array of Shotgun records.")
    if _all_storable(records):
        return
    for index, record in enumerate(records, start=offset):
        where = nul_path(record, "record")
        if where:
            shotgun_id = record.get("id") if isinstance(record, dict) else None
            named = f"Record {index}" + (f" (Shotgun id {shotgun_id!r})" if isinstance(shotgun_id, int) else "")
            raise ShotgunImportError(
                f"{named} holds a NUL character or an unpaired surrogate at '{where}'; nothing was imported."
            )


def _all_storable(records):
    """The common case in one pass of orjson: the records as JSON hold no
    escaped NUL, and orjson refuses a lone surrogate. False (look closer, as
    nul_path does) when unsure: an int too large for it, a literal "\\u0000"."""
    try:
        return b"\\u0000" not in orjson.dumps(records)
    except (TypeError, ValueError):
        return False


def _serialize_imports():
    """Two imports at once would each read the rows the other is creating and
    create them twice (Entity.shotgun_id is not unique). PostgreSQL queues them
    behind a transaction-scoped lock; SQLite already allows one writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _error_event(kind, record, error):
    event = dict(record) if isinstance(record, dict) else {"record": record}
    event.update(reason=error.reason, index=error.index, import_kind=kind)
    return event


@contextmanager
def _cycle_collection_deferred():
    """An import allocates millions of objects that all live until it ends; each
    full cycle collection walks every one of them, which cost about half of a
    100k-task import's CPU. Reference counting still frees as usual; cycles
    wait for the collector until the import is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _persons_check(importer_class, actor):
    """Persons are written by admins only, through every door (a manager could
    otherwise adopt an admin's row by email and rename, deactivate or delete
    it); manage.py passes a SystemActor carrying its --persons flag."""
    if importer_class.model is Person:
        persons_write_check(actor, flag_hint="--persons")


def shotgun_import_check(*, kind, records, actor):
    """What refuses a whole batch before anything is written, so that an import
    run later as a job is refused while its request is still open."""
    importer_class = importer_for(kind)
    _persons_check(importer_class, actor)
    if isinstance(records, list):
        shotgun_records_check(records)
    else:
        for offset, chunk in _record_chunks(records, STREAM_CHUNK):
            shotgun_records_check(chunk, offset)
    return importer_class


def _record_chunks(records, size):
    """(index of the first record, records) by chunks of `size`, read lazily."""
    iterator, offset = iter(records), 0
    while chunk := list(islice(iterator, size)):
        yield offset, chunk
        offset += len(chunk)


def shotgun_import(*, kind, records, actor, dry_run=False, progress=None, keep_rows=True):
    """Upsert a batch of Shotgun records of one kind; records that cannot be
    imported are reported in the result and kept as DataImportError rows.
    A dry run does all of it and rolls it back, so its report is exactly what a
    real run would do. `progress(n)` is told as records get written. `actor`
    is the person importing (or a production.auth.persons.SystemActor).

    `records` is a list, or any iterable (ijson reading a file): the kinds
    that stream (KindImporter.streams) are then imported STREAM_CHUNK records
    at a time, in the one transaction, and memory holds one chunk, plus the
    rows answered unless `keep_rows` is False (a job drops them)."""
    importer_class = importer_for(kind)
    _persons_check(importer_class, actor)
    streams = importer_class.streams()
    if not streams and not isinstance(records, list):
        records = list(records)
    checked = isinstance(records, list)
    if checked:
        shotgun_records_check(records)
    result = ImportResult(kind)
    seen = {}
    try:
        with _cycle_collection_deferred(), transaction.atomic():
            _serialize_imports()
            for offset, chunk in _record_chunks(records, STREAM_CHUNK if streams else max(1, len(records))):
                if not checked:
                    shotgun_records_check(chunk, offset)
                part = importer_class(chunk, progress=progress, actor=actor, seen=seen, offset=offset).run()
                DataImportError.objects.bulk_create(
                    [
                        DataImportError(source=DataImportError.Source.SHOTGUN, event_data=_error_event(kind, chunk[e.index - offset], e))
                        for e in part.errors
                    ],
                    batch_size=chunk_size(len(DataImportError._meta.concrete_fields)),
                )
                result.add(part, keep_rows=keep_rows)
                del chunk, part
                gc.collect(1)  # this chunk's cycles, young: a cheap pass
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ShotgunImportError(f"The import conflicts with rows written meanwhile, nothing was imported: {first_line}")
    result.dry_run = dry_run
    return result


def shotgun_remove(*, kind, shotgun_id, actor):
    """Delete the row imported from one Shotgun record and answer its id, or
    None when there is none (so a retried removal succeeds). A task goes with
    its comments, which point at it by id only."""
    importer_class = importer_for(kind)
    _persons_check(importer_class, actor)
    instance = importer_class.kind_model.objects.filter(shotgun_id=shotgun_id).first()
    if instance is None:
        return None
    removed_id = instance.id
    try:
        with transaction.atomic():
            if isinstance(instance, Person):
                persons_delete_check(persons=[instance], actor=actor)
            if isinstance(instance, Task):
                Comment.objects.filter(object_id=instance.id).delete()
            instance.delete()
    except ProtectedError as error:
        raise ShotgunImportError(protected_message(instance, error.protected_objects))
    return removed_id


def shotgun_error_create(*, event_data):
    return DataImportError.objects.create(source=DataImportError.Source.SHOTGUN, event_data=event_data)
