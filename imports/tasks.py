"""Celery tasks of the imports: found by `celery -A zou_site worker`."""

from celery import shared_task

from imports.jobs.runner import job_run


@shared_task(name="imports.run_import_job")
def run_import_job(job_id):
    job_run(job_id=job_id)
