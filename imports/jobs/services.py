"""The request's side of an import job: decide whether an import becomes a
job, store its input where any worker can read it, queue it, cancel it."""

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from imports.jobs.runner import job_input_delete
from imports.models import Job
from imports.tasks import run_import_job
from production.models import Person

# Inputs wait for a worker in the project's storage (S3 when several machines
# run), not on the disk of the machine that received the upload.
INPUT_DIR = "import-jobs"


class JobFinished(Exception):
    """The job already ended: there is nothing left to cancel."""


def runs_as_job(*, asked, size):
    """`asked` is the request's `async` flag (None when not given): an import
    becomes a job on request, or past IMPORT_JOB_THRESHOLD rows or records."""
    return asked if asked is not None else size > settings.IMPORT_JOB_THRESHOLD


def jobs_visible(person):
    """Admins see every job; the others (managers) the jobs they started."""
    jobs = Job.objects.all()
    return jobs if person.role == Person.Role.ADMIN else jobs.filter(created_by=person)


def job_create(*, source, kind, actor, payload, extension, total, dry_run=False, project=None, file_name=""):
    """A queued job importing `payload` (the records as JSON, or the sheet's
    bytes); a worker takes it once this transaction commits."""
    job = Job(
        source=source, kind=kind, created_by=actor, dry_run=dry_run, project=project, file_name=file_name[:255], total=total
    )
    job.full_clean()
    # payload: bytes, or a file (a spooled request body), copied by chunks.
    content = ContentFile(payload) if isinstance(payload, bytes) else File(payload)
    job.input_name = default_storage.save(f"{INPUT_DIR}/{job.id}.{extension}", content)
    with transaction.atomic():
        job.save()
        transaction.on_commit(lambda: run_import_job.delay(str(job.id)))
    job.refresh_from_db()  # in-process (no broker), the job has already run
    return job


def job_cancel(*, job):
    """A queued job is cancelled at once; a running one rolls back at its next
    progress step, or right before it commits, whichever comes first. A job
    that has committed cannot be cancelled (the worker holds the job's row
    while it commits, so the two never cross)."""
    now = timezone.now()
    with transaction.atomic():
        if Job.objects.filter(id=job.id, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, cancel_requested=True, finished_at=now, updated_at=now
        ):
            transaction.on_commit(lambda: job_input_delete(job_id=job.id))
        elif not Job.objects.filter(id=job.id, state=Job.State.RUNNING).update(cancel_requested=True):
            job.refresh_from_db()
            raise JobFinished(f"The job has already {job.state}: there is nothing to cancel.")
    job.refresh_from_db()
    return job

