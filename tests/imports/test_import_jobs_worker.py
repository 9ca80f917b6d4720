"""Import jobs on a real Celery worker (a subprocess, Redis, PostgreSQL): a big
Shotgun import answers 202 at once, its progress rises to 100% while the
client polls, and it ends with the import's summary; a cancelled job leaves
the database as it was. The 100k-task figure: bench/import_job.py."""

import time

import pytest

from production.models import Task
from tests.celery_worker import wait_for
from tests.imports.test_shotgun_import import post, snapshot

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.xdist_group("celery_worker"),
    # As the suite's other transactional tests: a plain flush would drop the
    # reference rows of the data migrations and recreate the content types under
    # new ids, which the next serialized test could not reload.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS, STEPS, TASKS = 300, 5, 15_000


def link(record):
    return {"type": record["type"], "id": record["id"]}


def export():
    """A production's Shotgun export: one project, steps, a sequence, shots and many tasks."""
    project = {"type": "Project", "id": 1, "name": "Big Cut"}
    steps = [{"type": "Step", "id": 10 + n, "code": f"Step{n}"} for n in range(STEPS)]
    sequences = [{"type": "Sequence", "id": 100, "code": "SQ01", "project": link(project)}]
    shots = [
        {"type": "Shot", "id": 1000 + n, "code": f"SH{n:04}", "project": link(project), "sg_sequence": link(sequences[0]),
         "sg_cut_in": 1001, "sg_cut_duration": 24}
        for n in range(SHOTS)
    ]
    tasks = [
        {"type": "Task", "id": 100_000 + n, "content": f"Take {n // (SHOTS * STEPS)}", "project": link(project),
         "step": link(steps[(n // SHOTS) % STEPS]), "entity": link(shots[n % SHOTS])}
        for n in range(TASKS)
    ]
    return {"projects": [project], "steps": steps, "sequences": sequences, "shots": shots}, tasks


@pytest.fixture
def breakdown(real_worker, api_client, settings):
    settings.IMPORT_JOB_THRESHOLD = 1000
    before_tasks, tasks = export()
    for kind, records in before_tasks.items():
        assert post(api_client, kind, records).status_code == 200, kind
    return tasks


def job_of(client, response):
    assert response.status_code == 202, response.content
    return lambda: client.get(response["Location"]).json()


def test_a_big_import_answers_202_at_once_and_its_progress_rises_to_the_summary(api_client, breakdown, real_worker):
    started = time.monotonic()
    response = post(api_client, "tasks", breakdown)
    answered_in = time.monotonic() - started
    job = job_of(api_client, response)
    assert response.json()["state"] in ("queued", "running") and response.json()["summary"] is None, answered_in

    samples = []

    def finished():
        body = job()
        samples.append((body["state"], body["progress"]["percent"]))
        return body if body["state"] in ("succeeded", "failed", "cancelled") else None

    final = wait_for(finished, 120, real_worker, "the import job to finish", interval=0.05)
    assert final["state"] == "succeeded", final
    assert final["summary"] == {"created": TASKS, "updated": 0, "unchanged": 0, "dry_run": False, "errors": []}
    assert final["progress"] == {"done": TASKS, "total": TASKS, "percent": 100}
    percents = [percent for _, percent in samples]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(state == "running" and 0 < percent < 100 for state, percent in samples), samples
    assert Task.objects.count() == TASKS


def test_a_cancelled_job_leaves_the_database_as_it_was(api_client, breakdown, real_worker):
    before = snapshot()
    job = job_of(api_client, post(api_client, "tasks", breakdown))
    wait_for(lambda: job()["state"] == "running", 60, real_worker, "the import job to start", interval=0.02)

    cancelled = api_client.post(f"{job()['id'].join(['/api/data/jobs/', '/cancel'])}")
    assert (cancelled.status_code, cancelled.json()["cancel_requested"]) == (202, True)
    final = wait_for(lambda: job()["state"] != "running" and job(), 60, real_worker, "the job to stop")
    assert (final["state"], final["summary"]) == ("cancelled", None)
    assert Task.objects.count() == 0
    assert snapshot() == before
