"""CSV exports byte for byte (issue 16: exports read tuples, not model
instances, through one pipeline): what a spreadsheet must read back from
rows made outside CSV with commas, quotes, newlines, non-ASCII text, blank
and NULL cells, formulas, numbers, and several assignees in one cell. The
REST route, a real HTTP server, manage.py export_csv and the admin's export
all write these same bytes."""

import datetime
import io

import pytest
import requests
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from production.auth.tokens import issue_tokens
from production.models import Asset, AssetType, Department, Episode, Project, ProjectStatus, Sequence, Shot
from production.models import Task, TaskStatus, TaskType
from tests.factories import make_person
from tests.helpers import client_for

PROJECT = 'Harbour, "Lights"'
PROJECT_CELL = '"Harbour, ""Lights"""'

EXPECTED = {
    "tasks": (
        "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,"
        "Duration,Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status\r\n"
        # An asset's task: a task type without department (its name a formula), a name with quotes and a newline.
        f"{PROJECT_CELL},,'+Comp ✨,,,,Props,Lamp 🪔,\"say \"\"hi\"\"\nbye\",,,0,0,,,,,Todo\r\n"
        # Four assignees in the persons' order; a name two persons share is written as their emails.
        f'{PROJECT_CELL},"Anim\nDept",Animation,É01,"SQ ""10""","SH,010",,,main,Zoé Ångström,'
        '"nameless@studio.test, sam1@studio.test, sam2@studio.test, Zoé Ångström",'
        "0.277778,2,2026-03-02,2026-03-20,2026-03-27,2026-04-01,WIP\r\n"
        # A formula is neutralised; a start time late in the day is written as its UTC day.
        f"{PROJECT_CELL},\"Anim\nDept\",Animation,É01,\"SQ \"\"10\"\"\",SH020,,,'=cmd|' /C calc'!A0,,,0,0,,2026-03-21,,,Todo\r\n"
    ),
    "shots": (
        "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out\r\n"
        f'{PROJECT_CELL},É01,"SQ ""10""","SH,010","line1\r\nline2",23.976,1001,\r\n'
        f"{PROJECT_CELL},É01,\"SQ \"\"10\"\"\",SH020,'@mention,'=1+2,-5,10\r\n"
    ),
    "assets": "Project,Category,Name,Description\r\n" f"{PROJECT_CELL},Props,Lamp 🪔,\r\n",
    "persons": (
        "First Name,Last Name,Email,Phone,Role\r\n"
        "Ada,Admin,ada@studio.test,,admin\r\n"
        ",,nameless@studio.test,'+33 1 23 45,user\r\n"
        "Sam,Lee,sam1@studio.test,,user\r\n"
        "Sam,Lee,sam2@studio.test,,user\r\n"
        "Zoé,Ångström,zoe@studio.test,-5,user\r\n"
    ),
    "projects": f"Name,Status\r\n{PROJECT_CELL},Open\r\n",
    "task_types": (
        "Department,Name\r\n"
        # Every task type (reference data), those of the migrations too: checked apart.
    ),
}


@pytest.fixture
def tricky(db):
    """One project of tricky rows, made through the models; the admin Ada."""
    admin = make_person("admin", email="ada@studio.test", first_name="Ada", last_name="Admin")
    zoe = make_person("user", email="zoe@studio.test", first_name="Zoé", last_name="Ångström", phone="-5")
    sam1 = make_person("user", email="sam1@studio.test", first_name="Sam", last_name="Lee")
    sam2 = make_person("user", email="sam2@studio.test", first_name="Sam", last_name="Lee")
    nameless = make_person("user", email="nameless@studio.test", first_name="", last_name="", phone="+33 1 23 45")
    project = Project.objects.create(name=PROJECT, project_status=ProjectStatus.objects.get(name="Open"))
    episode = Episode.objects.create(name="É01", project=project)
    sequence = Sequence.objects.create(name='SQ "10"', project=project, parent=episode)
    first = Shot.objects.create(
        name="SH,010", project=project, parent=sequence, description="line1\r\nline2",
        data={"fps": 23.976, "frame_in": 1001},
    )
    second = Shot.objects.create(
        name="SH020", project=project, parent=sequence, description="@mention",
        data={"fps": "=1+2", "frame_in": -5, "frame_out": 10},
    )
    lamp = Asset.objects.create(name="Lamp 🪔", project=project, entity_type=AssetType.objects.create(name="Props"))
    animation = TaskType.objects.create(name="Animation", department=Department.objects.create(name="Anim\nDept"))
    comp = TaskType.objects.create(name="+Comp ✨")
    todo, wip = TaskStatus.objects.get(short_name="todo"), TaskStatus.objects.get(name="WIP")
    task = Task.objects.create(
        name="main", project=project, task_type=animation, task_status=wip, entity=first, assigner=zoe,
        duration=1000, estimation=7200, start_date=datetime.date(2026, 3, 2),
        real_start_date=datetime.datetime(2026, 3, 20, 14, 32, tzinfo=datetime.UTC),
        end_date=datetime.date(2026, 3, 27), due_date=datetime.date(2026, 4, 1),
    )
    task.assignees.set([zoe, sam2, nameless, sam1])
    Task.objects.create(
        name="=cmd|' /C calc'!A0", project=project, task_type=animation, task_status=todo, entity=second,
        real_start_date=datetime.datetime(2026, 3, 21, 23, 30, tzinfo=datetime.UTC),
    )
    Task.objects.create(name='say "hi"\nbye', project=project, task_type=comp, task_status=todo, entity=lamp)
    return admin


def rest_export(client, kind):
    response = client.get(f"/api/export/csv/{kind}.csv")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("kind", ["tasks", "shots", "assets", "persons", "projects"])
def test_the_rest_export_writes_these_bytes(tricky, kind):
    assert rest_export(client_for(tricky), kind) == EXPECTED[kind].encode("utf-8")


def test_task_types_cells(tricky):
    text = rest_export(client_for(tricky), "task_types").decode("utf-8")
    assert text.startswith(EXPECTED["task_types"])
    assert '"Anim\nDept",Animation\r\n' in text and "\r\n,'+Comp ✨\r\n" in text


def test_manage_py_export_csv_writes_the_same_bytes_to_stdout_and_to_a_file(tricky, tmp_path):
    for kind in ("tasks", "shots"):
        out = io.StringIO()
        call_command("export_csv", kind, stdout=out)
        assert out.getvalue() == EXPECTED[kind]
        call_command("export_csv", kind, "-o", str(tmp_path / "out.csv"), stdout=io.StringIO(), stderr=io.StringIO())
        assert (tmp_path / "out.csv").read_bytes() == EXPECTED[kind].encode("utf-8")


def test_the_admin_export_writes_the_same_bytes(tricky):
    client = Client()
    client.force_login(tricky)
    for model, resource in (("task", "taskresource"), ("shot", "shotresource"), ("asset", "assetresource")):
        kind = f"{model}s"
        columns = EXPECTED[kind].split("\r\n", 1)[0].split(",")
        names = [name for name in _field_names(kind) if name]
        fields = {f"{resource}_{name}": "on" for name in names}
        assert len(fields) == len(columns)
        response = client.post(reverse(f"admin:production_{model}_export"), {"format": "0", "resource": "0", **fields})
        assert response.status_code == 200
        assert response.content == EXPECTED[kind].encode("utf-8"), kind


def test_the_admin_export_writes_the_columns_picked(tricky):
    client = Client()
    client.force_login(tricky)
    fields = {"taskresource_name": "on", "taskresource_assignee": "on", "taskresource_real_start_date": "on"}
    response = client.post(reverse("admin:production_task_export"), {"format": "0", "resource": "0", **fields})
    assert response.content.decode("utf-8").split("\r\n")[:3] == [
        "Name,Assignee,Real Start Date",
        '"say ""hi""\nbye",,',
        'main,"nameless@studio.test, sam1@studio.test, sam2@studio.test, Zoé Ångström",2026-03-20',
    ]


def _field_names(kind):
    from imports.csv.resources import CSV_RESOURCES

    return list(CSV_RESOURCES[kind]._meta.fields)


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_http_server_streams_the_same_bytes(tricky, live_server):
    access, _ = issue_tokens(tricky)
    project = Project.objects.get(name=PROJECT)
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {access}"
        for kind in ("tasks", "shots", "assets"):
            response = session.get(f"{live_server.url}/api/export/csv/projects/{project.id}/{kind}.csv", timeout=30)
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            assert response.content == EXPECTED[kind].encode("utf-8"), kind


@pytest.mark.parametrize("excel_format", ["1", "2"])
def test_the_admin_exports_for_excel_neutralise_formulas_too(tricky, excel_format):
    client = Client()
    client.force_login(tricky)
    fields = {f"shotresource_{name}": "on" for name in _field_names("shots")}
    response = client.post(reverse("admin:production_shot_export"), {"format": excel_format, "resource": "0", **fields})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffProject")
    assert "'@mention" in text and "'=1+2" in text and "=1+2" not in text.replace("'=1+2", "")
