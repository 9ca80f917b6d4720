"""A worker's side of an import job: claim it, run the same import the
synchronous routes run inside one transaction, write progress where pollers
see it while that transaction is still open, and commit the data together with
the job's final state, or roll everything back when the job is cancelled."""

import logging
import time
from contextlib import contextmanager
from datetime import timedelta

import ijson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from imports.csv.services import csv_import
from imports.csv.sheets import SheetError
from imports.models import Job
from imports.shotgun.services import ShotgunImportError, shotgun_import
from production.events import acting_as

logger = logging.getLogger(__name__)
# Progress is written at most this often: a 100k-record import calls back
# hundreds of times, and pollers do not need each one.
PROGRESS_INTERVAL = 0.5


class JobCancelled(Exception):
    pass


class JobProgress:
    """The import's `progress(n)` callback. The import's own transaction stays
    open until the end, so progress goes through a second connection of its
    own, committed at once, which also reads whether a cancel was asked. On
    SQLite (one writer at a time) progress stays in memory and the cancel is
    read right before the commit only."""

    def __init__(self, job):
        self.job_id, self.total, self.done = job.id, job.total, 0
        self.written_at = time.monotonic()
        self.side = connection.copy() if connection.vendor == "postgresql" else None

    def __call__(self, count):
        self.done = min(self.total, self.done + count)
        if self.side is not None and time.monotonic() - self.written_at >= PROGRESS_INTERVAL:
            self.written_at = time.monotonic()
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, updated_at = %s WHERE id = %s RETURNING cancel_requested",
                    [self.done, timezone.now(), self.job_id],
                )
                row = cursor.fetchone()
            if row and row[0]:
                raise JobCancelled()

    def close(self):
        if self.side is not None:
            self.side.close()


@contextmanager
def _progress(job):
    progress = JobProgress(job)
    try:
        yield progress
    finally:
        progress.close()


def _claim(job_id):
    """The job, now running here; None when it is not to run: finished,
    cancelled while queued, or running on a live worker (this is a redelivered
    message). A job whose worker died mid-run (no progress for
    IMPORT_JOB_STALE_SECONDS) rolled back with its connection and runs again."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.IMPORT_JOB_STALE_SECONDS)
    claimed = (
        Job.objects.filter(id=job_id)
        .filter(Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING, updated_at__lt=stale))
        .update(state=Job.State.RUNNING, started_at=now, updated_at=now, done=0)
    )
    return Job.objects.select_related("created_by", "project").get(id=job_id) if claimed else None


def _shotgun(job, progress):
    # Read record by record (ijson): a 100k-record file is never held parsed
    # whole, and the rows written are not kept (the summary leaves them out).
    with default_storage.open(job.input_name, "rb") as stored:
        records = ijson.items(stored, "item", use_float=True)
        try:
            result = shotgun_import(
                kind=job.kind, records=records, actor=job.created_by, dry_run=job.dry_run, progress=progress, keep_rows=False
            )
        except ShotgunImportError as error:
            return Job.State.FAILED, {"message": str(error)}
    return Job.State.SUCCEEDED, result.as_dict()


def _csv(job, progress):
    with default_storage.open(job.input_name, "rb") as stored:
        try:
            report = csv_import(
                kind=job.kind, file=stored.read(), actor=job.created_by, dry_run=job.dry_run,
                project=job.project, file_name=job.file_name, progress=progress,
            )
        except SheetError as error:
            return Job.State.FAILED, {"message": str(error), "errors": [{"line": None, "column": None, "message": str(error)}]}
    if report.errors:
        return Job.State.FAILED, {"message": report.message, "errors": report.errors}
    return Job.State.SUCCEEDED, report.as_dict()


def job_input_delete(*, job_id):
    """The stored records or sheet, once the job no longer needs them."""
    job = Job.objects.filter(id=job_id).first()
    if job and job.input_name:
        default_storage.delete(job.input_name)
        Job.objects.filter(id=job_id).update(input_name="")


IMPORTS = {Job.Source.SHOTGUN: _shotgun, Job.Source.CSV: _csv}


def _finish(job, state, summary):
    """Inside the import's transaction: hold the job's row, so that a cancel
    either comes before (and everything rolls back) or finds it finished."""
    if Job.objects.select_for_update().filter(id=job.id, cancel_requested=True).exists():
        raise JobCancelled()
    summary.pop("data", None)  # the rows: the API lists them; a 100k-row job would carry megabytes
    now = timezone.now()
    Job.objects.filter(id=job.id).update(
        state=state, summary=summary, done=job.total, finished_at=now, updated_at=now
    )


def _end(job, state, summary=None):
    now = timezone.now()
    Job.objects.filter(id=job.id).update(state=state, summary=summary, finished_at=now, updated_at=now)


def job_run(*, job_id):
    job = _claim(job_id)
    if job is None:
        return
    try:
        if job.created_by is None:
            raise PermissionDenied("The person who started this import no longer exists.")
        with acting_as(job.created_by), _progress(job) as progress, transaction.atomic():
            state, summary = IMPORTS[job.source](job, progress)
            _finish(job, state, summary)
    except JobCancelled:
        _end(job, Job.State.CANCELLED)
    except PermissionDenied as error:
        _end(job, Job.State.FAILED, {"message": str(error)})
    except Exception as error:
        logger.exception("Import job %s failed", job.id)
        _end(job, Job.State.FAILED, {"message": f"The import failed: {type(error).__name__}: {error}"})
    job_input_delete(job_id=job.id)
