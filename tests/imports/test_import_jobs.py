"""Imports as jobs, with no broker (tasks run in-process, as in the README's
demo): large imports or `?async=true` answer 202 and a job whose summary is
the synchronous import's answer; the job routes; cancelling; who sees what.
A real worker's jobs: tests/imports/test_import_jobs_worker.py."""

import pytest
from django.core.files.storage import default_storage

from imports.jobs.runner import job_run
from imports.models import DataImportError, Job
from production.models import Task
from tests.factories import make_person
from tests.helpers import assert_query_baseline, browser_for, client_for
from tests.imports.test_csv_import import TASK_HEADER, good_task_rows, import_sheets, post_sheet
from tests.imports.test_shotgun_import import fixture_records, import_fixture_export, post, snapshot

SHOTGUN_BEFORE_TASKS = ("projects", "persons", "steps", "status", "sequences", "assets", "shots")


@pytest.fixture
def before_tasks(api_client):
    for kind in SHOTGUN_BEFORE_TASKS:
        assert post(api_client, kind, fixture_records(kind)).status_code == 200
    return api_client


def without_rows(answer):
    return {key: value for key, value in answer.items() if key != "data"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_async_shotgun_import_answers_202_and_its_job_ends_with_the_synchronous_summary(before_tasks):
    records = fixture_records("tasks")
    records.append({"type": "Task", "id": 9999, "content": "Orphan", "step": {"type": "Step", "id": 1}})
    preview = without_rows(post(before_tasks, "tasks", records, query="?dry_run=true").json())
    assert preview["errors"] and preview["created"] == len(records) - 1

    response = post(before_tasks, "tasks", records, query="?async=true")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == f"/api/data/jobs/{job['id']}"
    # In-process, the job has run by the time the request answers.
    assert (job["type"], job["source"], job["kind"], job["state"]) == ("Job", "shotgun", "tasks", "succeeded")
    assert job["progress"] == {"done": len(records), "total": len(records), "percent": 100}
    assert job["summary"] == preview | {"dry_run": False}
    assert Task.objects.filter(shotgun_id__isnull=False).count() == len(records) - 1
    assert before_tasks.get(response["Location"]).json() == job
    assert not default_storage.exists(f"import-jobs/{job['id']}.json")


def test_past_the_threshold_an_import_is_a_job_unless_async_false(before_tasks, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_JOB_THRESHOLD = 1
    records = fixture_records("tasks")
    assert post(before_tasks, "tasks", records, query="?dry_run=true&async=false").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = post(before_tasks, "tasks", records)
    assert response.status_code == 202
    job = before_tasks.get(response["Location"]).json()
    assert (job["state"], job["summary"]["created"]) == ("succeeded", len(records))

    bad = post(before_tasks, "tasks", records, query="?async=maybe")
    assert (bad.status_code, bad.json()["message"]) == (400, "'async' must be true or false, not 'maybe'.")


def test_a_refused_batch_is_refused_by_the_request_not_the_job(api_client):
    assert post(api_client, "nothing", [], query="?async=true").status_code == 404
    manager = client_for(make_person("manager"))
    refused = post(manager, "persons", fixture_records("persons"), query="?async=true")
    assert refused.status_code == 403
    nul = post(api_client, "projects", [{"type": "Project", "id": 1, "name": "A\u0000"}], query="?async=true")
    assert nul.status_code == 400 and "NUL" in nul.json()["message"]
    assert not Job.objects.exists()


def test_a_csv_job_with_bad_rows_fails_with_the_synchronous_400_body(api_client, django_capture_on_commit_callbacks):
    import_sheets(api_client, "projects", "persons", "shots", "assets")
    rows = good_task_rows(5)
    rows.insert(2, "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Bad person,Ines Duarte,Jane Roe,1,1,2026-02-02,,,,WIP")
    sheet = "\n".join([TASK_HEADER, *rows])
    refused = post_sheet(api_client, "tasks", sheet)
    assert refused.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = post_sheet(api_client, "tasks", sheet, **{"async": "true"})
    job = api_client.get(response["Location"]).json()
    assert (response.status_code, job["state"], job["source"], job["file_name"]) == (202, "failed", "csv", "tasks.csv")
    assert job["summary"] == refused.json()
    assert job["progress"]["total"] == 6
    assert not Task.objects.exists()
    assert DataImportError.objects.filter(source="csv").count() == 2


def test_a_csv_job_imports_the_sheet(api_client, django_capture_on_commit_callbacks, settings):
    import_sheets(api_client, "projects", "persons", "shots", "assets")
    settings.IMPORT_JOB_THRESHOLD = 3
    sheet = "\n".join([TASK_HEADER, *good_task_rows(4)])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_sheet(api_client, "tasks", sheet)
    job = api_client.get(response["Location"]).json()
    assert (response.status_code, job["state"]) == (202, "succeeded")
    assert job["summary"] == {"created": 4, "updated": 0, "unchanged": 0, "dry_run": False, "references_created": {"departments": 1, "task_types": 1}}
    assert Task.objects.count() == 4
    # Three lines only: counted without reading the sheet, and run in the request.
    assert post_sheet(api_client, "tasks", "\n".join([TASK_HEADER, *good_task_rows(3)])).status_code == 200


def test_a_queued_job_cancelled_never_runs(api_client):
    import_fixture_export_before = snapshot()
    # No commit callbacks run inside the test's transaction: the job stays queued.
    response = post(api_client, "projects", fixture_records("projects"), query="?async=true")
    job_id = response.json()["id"]
    queued = api_client.get(f"/api/data/jobs/{job_id}").json()
    assert (queued["state"], queued["progress"], queued["summary"]) == ("queued", {"done": 0, "total": 2, "percent": 0}, None)

    cancelled = api_client.post(f"/api/data/jobs/{job_id}/cancel")
    assert (cancelled.status_code, cancelled.json()["state"], cancelled.json()["cancel_requested"]) == (202, "cancelled", True)
    job_run(job_id=job_id)  # the queued message, taken by a worker later
    assert Job.objects.get(id=job_id).state == "cancelled"
    assert snapshot() == import_fixture_export_before

    again = api_client.post(f"/api/data/jobs/{job_id}/cancel")
    assert (again.status_code, again.json()["message"]) == (409, "The job has already cancelled: there is nothing to cancel.")


def test_a_finished_job_cannot_be_cancelled(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post(api_client, "projects", fixture_records("projects"), query="?async=true").json()["id"]
    response = api_client.post(f"/api/data/jobs/{job_id}/cancel")
    assert (response.status_code, response.json()["message"]) == (409, "The job has already succeeded: there is nothing to cancel.")


def test_admins_see_every_job_managers_their_own(api_client, django_assert_max_num_queries):
    manager, other = make_person("manager"), make_person("manager")
    as_manager, as_other = client_for(manager), client_for(other)
    ids = [post(client, "projects", [], query="?async=true").json()["id"] for client in (api_client, as_manager, as_manager, as_other)]

    with assert_query_baseline(django_assert_max_num_queries, "GET data/jobs"):
        listed = api_client.get("/api/data/jobs").json()
    assert [row["id"] for row in listed] == ids[::-1]
    assert [row["id"] for row in as_manager.get("/api/data/jobs").json()] == ids[2:0:-1]
    assert as_manager.get(f"/api/data/jobs/{ids[3]}").status_code == 404
    assert as_manager.post(f"/api/data/jobs/{ids[3]}/cancel").status_code == 404
    assert api_client.get("/api/data/jobs/not-a-uuid").status_code == 404

    paged = api_client.get("/api/data/jobs?page=1&limit=3").json()
    assert (paged["total"], len(paged["data"])) == (4, 3)
    assert [row["id"] for row in api_client.get("/api/data/jobs?state=queued").json()] == ids[::-1]
    assert api_client.get("/api/data/jobs?state=done").json()["message"].startswith("'state' must be one of queued")
    assert api_client.get("/api/data/jobs?kind=tasks").json()["message"] == "Unknown parameter 'kind': jobs are narrowed by state only."
    user = client_for(make_person("user"))
    assert user.get("/api/data/jobs").status_code == 403


def test_the_admin_lists_jobs_with_a_progress_bar_and_cancels_them(api_client, admin_person):
    job_id = post(api_client, "projects", fixture_records("projects"), query="?async=true").json()["id"]
    Job.objects.filter(id=job_id).update(state="running", done=1)
    browser = browser_for(admin_person)
    listing = browser.get("/admin/imports/job/").content.decode()
    assert '<progress value="50" max="100" title="1 of 2"></progress> 50%' in listing
    cancelled = browser.post("/admin/imports/job/", {"action": "cancel", "_selected_action": [job_id]})
    assert cancelled.status_code == 302
    assert Job.objects.get(id=job_id).cancel_requested is True
    assert browser_for(make_person("user")).get("/admin/imports/job/").status_code == 302
