"""Nothing is lost or half-written on failure (issue #9).

An import whose last row fails leaves every table as it was (but for the
DataImportError that records why), a multi-row write refused part-way
writes none of its rows, and an upload cut off mid-body imports nothing.
Routes written by other engineers are tested when they are routed."""

import io
import socket
import uuid

import pytest

from production.models import Entity, Project, Task
from tests.factories import make_person
from tests.helpers import assert_json_message, changed_counts, row_counts

CSV_IMPORT = "/api/data/import/csv/projects"
SHOTGUN_IMPORT = "/api/data/import/shotgun/projects"

IMPORT_ERROR_TABLE = "imports_dataimporterror"


def only_the_error_was_recorded(before):
    """Every table unchanged but the DataImportError that may record why (a
    sheet refused whole, before any row is read, records none)."""
    changed = changed_counts(before, row_counts())
    errors = before[IMPORT_ERROR_TABLE]
    assert changed in ({}, {IMPORT_ERROR_TABLE: (errors, errors + 1)}), changed


def csv_upload(text, name="sheet.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def projects_sheet(count, last=None):
    lines = ["Name,Status"] + [f"Imported {n:03d},Open" for n in range(count)]
    if last is not None:
        lines.append(last)
    return "\n".join(lines) + "\n"


# --- CSV: the last row fails, nothing is written -------------------------------------------------

# kind and sheet.
CSV_LAST_ROW_FAILURES = {
    # Longer than Project.name's 80 characters: the column refuses it on PostgreSQL.
    "overlong-name": ("projects", projects_sheet(5, "P" * 81 + ",Open")),
    # PostgreSQL refuses NUL in text: a database error, not a validation one.
    "nul-in-name": (
        "projects",
        projects_sheet(5, "Nul\x00Project,Open"),
    ),
    # A sheet naming the same shot twice: the second would break the natural key.
    "duplicate-shot": (
        "shots",
        "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out\n"
        + "".join(f"Dupes,E01,SE01,SH{n:03d},,25,0,100\n" for n in range(5))
        + "Dupes,E01,SE01,SH000,again,25,0,100\n",
    ),
    # A task row naming a person that does not exist.
    "unknown-assignee": (
        "tasks",
        "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,Duration,"
        "Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status\n"
        "Cosmos Landromat,Animation,Animation,E01,S01,P01,,,main,,,1,1,2017-03-19,,,2017-03-21,Todo\n"
        "Cosmos Landromat,Animation,Animation,E01,S01,P02,,,main,,Nobody Here,1,1,2017-03-19,,,2017-03-21,Todo\n",
    ),
}


@pytest.mark.parametrize("case", list(CSV_LAST_ROW_FAILURES))
def test_a_csv_import_whose_last_row_fails_writes_nothing(case, production, admin_client):
    kind, sheet = CSV_LAST_ROW_FAILURES[case]
    before = row_counts()
    response = admin_client.post(f"/api/data/import/csv/{kind}", {"file": csv_upload(sheet)}, format="multipart")
    data = assert_json_message(response, 400)
    # The bad row is named by its line (header = 1): the last line of the sheet.
    last_line = sheet.rstrip("\n").count("\n") + 1
    assert any(error.get("line") in (last_line, None) for error in data["errors"]), data["errors"]
    only_the_error_was_recorded(before)
    assert not Project.objects.filter(name__startswith="Imported").exists()


def test_a_csv_import_that_succeeds_after_a_failed_one_writes_all(production, admin_client):
    """The failed import left nothing in the way: the fixed sheet imports whole."""
    bad = admin_client.post(CSV_IMPORT, {"file": csv_upload(projects_sheet(5, "P" * 81 + ",Open"))}, format="multipart")
    assert bad.status_code == 400
    good = admin_client.post(CSV_IMPORT, {"file": csv_upload(projects_sheet(5, "Fixed,Open"))}, format="multipart")
    assert good.status_code == 200, good.content
    assert good.json()["created"] == 6
    assert Project.objects.filter(name__startswith="Imported").count() == 5


# --- Shotgun: a bad record is refused alone, a database failure refuses the batch -----------------

def sg_project(n, **fields):
    return {"type": "Project", "id": 5000 + n, "name": f"SG project {n}", "sg_status": "Active", **fields}


def test_a_shotgun_record_that_cannot_be_linked_is_refused_alone(production, admin_client):
    """DESIGN §8: a record whose links do not resolve is reported with its index
    and kept as a DataImportError; the others are imported, and nothing of the
    bad record is written."""
    records = [
        {"type": "Sequence", "id": 6000 + n, "code": f"SQ{n}", "project": {"type": "Project", "id": 4242, "name": "Cosmos Landromat"}}
        for n in range(3)
    ]
    production["project"].shotgun_id = 4242
    production["project"].save()
    records.append({"type": "Sequence", "id": 6099, "code": "SQ-orphan", "project": {"type": "Project", "id": 999999}})
    before = row_counts()
    response = admin_client.post("/api/data/import/shotgun/sequences", records, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 3
    assert [(e["index"], e["id"]) for e in body["errors"]] == [(3, 6099)]
    assert body["errors"][0]["reason"]
    assert not Entity.objects.filter(shotgun_id=6099).exists()
    changed = changed_counts(before, row_counts())
    assert changed == {
        "production_entity": (before["production_entity"], before["production_entity"] + 3),
        IMPORT_ERROR_TABLE: (before[IMPORT_ERROR_TABLE], before[IMPORT_ERROR_TABLE] + 1),
        # One sequence:new event per sequence written, none for the refused record.
        "production_apievent": (before["production_apievent"], before["production_apievent"] + 3),
    }, changed


def test_a_shotgun_batch_whose_last_record_fails_in_the_database_writes_nothing(production, admin_client):
    admin_client.raise_request_exception = False
    records = [sg_project(n) for n in range(5)] + [sg_project(5, name="Nul\x00project")]
    before = row_counts()
    response = admin_client.post(SHOTGUN_IMPORT, records, format="json")
    assert_json_message(response, 400)
    assert changed_counts(before, row_counts()) in ({}, {IMPORT_ERROR_TABLE: (before[IMPORT_ERROR_TABLE], before[IMPORT_ERROR_TABLE] + 1)})


def test_a_shotgun_dry_run_writes_nothing(production, admin_client):
    before = row_counts()
    response = admin_client.post(f"{SHOTGUN_IMPORT}?dry_run=true", [sg_project(n) for n in range(5)], format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 5 and response.json()["dry_run"] is True
    assert changed_counts(before, row_counts()) == {}


# --- multi-row writes through the API refused part-way -------------------------------------------

@pytest.fixture
def team(production):
    persons = [make_person("user", email=f"member{n}@studio.test") for n in range(2)]
    production["project"].team.add(*persons)
    return persons


UNKNOWN = str(uuid.UUID("00000000-0000-4000-8000-00000000beef"))


def test_person_assign_with_one_unknown_task_assigns_nothing(production, team, admin_client):
    tasks = production["tasks"]
    before = row_counts()
    response = admin_client.put(
        f"/api/actions/persons/{team[0].id}/assign", {"task_ids": [str(t.id) for t in tasks] + [UNKNOWN]}, format="json"
    )
    data = assert_json_message(response, 400)
    assert "task_ids" in data["errors"]
    assert changed_counts(before, row_counts()) == {}
    assert not Task.objects.filter(assignees=team[0]).exists()
    assert Task.objects.filter(assigner__isnull=False).count() == 0


def test_clear_assignation_with_one_unknown_task_clears_nothing(production, team, admin_client):
    tasks = production["tasks"]
    for task in tasks:
        task.assignees.add(*team)
    before = row_counts()
    response = admin_client.put(
        "/api/actions/tasks/clear-assignation", {"task_ids": [str(t.id) for t in tasks] + [UNKNOWN]}, format="json"
    )
    assert_json_message(response, 400)
    assert changed_counts(before, row_counts()) == {}
    assert all(set(t.assignees.all()) == set(team) for t in Task.objects.filter(pk__in=[t.pk for t in tasks]))


def test_creating_tasks_of_types_one_unknown_creates_none(production, admin_client):
    shot = production["shots"][0]
    known = [str(t.id) for t in production["task_types"]]
    before = row_counts()
    response = admin_client.post(f"/api/data/entities/{shot.id}/tasks", {"task_type_ids": known + [UNKNOWN]}, format="json")
    assert_json_message(response, 400)
    assert changed_counts(before, row_counts()) == {}


def test_an_update_whose_many_to_many_part_is_refused_changes_nothing(production, team, admin_client):
    project = production["project"]
    before = row_counts()
    response = admin_client.put(
        f"/api/data/projects/{project.id}",
        {"name": "Renamed", "description": "changed", "team": [str(team[0].id), UNKNOWN]},
        format="json",
    )
    data = assert_json_message(response, 400)
    assert "team" in data["errors"]
    project.refresh_from_db()
    assert project.name == "Cosmos Landromat" and project.description == ""
    assert set(project.team.all()) == set(team)
    assert changed_counts(before, row_counts()) == {}


def test_a_task_created_with_one_unknown_assignee_is_not_created(production, team, admin_client):
    before = row_counts()
    response = admin_client.post(
        "/api/data/tasks",
        {
            "name": "lighting",
            "project_id": str(production["project"].id),
            "task_type_id": str(production["task_types"][0].id),
            "entity_id": str(production["shots"][0].id),
            "assignees": [str(team[0].id), UNKNOWN],
        },
        format="json",
    )
    data = assert_json_message(response, 400)
    assert "assignees" in data["errors"]
    assert changed_counts(before, row_counts()) == {}


def test_an_update_refused_by_the_database_changes_nothing(production, admin_client):
    """A row whose JSON the engine refuses (PostgreSQL: \\u0000 in jsonb) keeps
    its old values: a 400, never a 500, never a half-saved row."""
    admin_client.raise_request_exception = False
    project = production["project"]
    before = row_counts()
    response = admin_client.put(
        f"/api/data/projects/{project.id}", {"name": "Renamed", "data": {"note": "a\x00b"}}, format="json"
    )
    assert_json_message(response, 400)
    project.refresh_from_db()
    assert project.name == "Cosmos Landromat" and project.data is None
    assert changed_counts(before, row_counts()) == {}


# --- an upload cut off mid-body ------------------------------------------------------------------

def multipart_body(boundary, field, filename, content):
    return (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
        f"Content-Type: text/csv\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()


def send_cut_off(live_server, token, path, content_type, body, sent):
    """Announce the whole body, send only `sent` bytes of it, then close our
    side: the server reads a short body, as when a client dies mid-upload."""
    host, port = live_server.thread.host, live_server.thread.port
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head + body[:sent])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    return answer


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_a_csv_upload_cut_off_mid_body_imports_nothing(fraction, live_server, admin_token):
    sheet = projects_sheet(300).encode()
    boundary = "reliability-boundary-7f3a"
    body = multipart_body(boundary, "file", "projects.csv", sheet)
    before = row_counts()
    answer = send_cut_off(
        live_server, admin_token, CSV_IMPORT, f"multipart/form-data; boundary={boundary}", body, int(len(body) * fraction)
    )
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 200 " not in status_line, answer[:500]
    assert not Project.objects.filter(name__startswith="Imported").exists()
    changed = changed_counts(before, row_counts())
    assert set(changed) <= {IMPORT_ERROR_TABLE}, changed
    # The server is still answering, and the whole sheet then imports in one go.
    from tests.helpers import LiveApi

    api = LiveApi(live_server.url, admin_token)
    whole = api.post("data/import/csv/projects", files={"file": ("projects.csv", sheet, "text/csv")})
    api.close()
    assert whole.status_code == 200, whole.text[:500]
    assert whole.json()["created"] == 300


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_shotgun_batch_cut_off_mid_body_imports_nothing(live_server, admin_token):
    import json

    body = json.dumps([sg_project(n) for n in range(200)]).encode()
    before = row_counts()
    answer = send_cut_off(live_server, admin_token, SHOTGUN_IMPORT, "application/json", body, len(body) // 2)
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 200 " not in status_line, answer[:500]
    assert changed_counts(before, row_counts()) == {}
