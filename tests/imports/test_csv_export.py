"""CSV export over HTTP (DESIGN.md §9): streamed, §9's headers, stable order,
narrowed to a project and to what the caller sees, flat query count, and an
exported file imports back with no change."""

import datetime

import pytest

from production.models import Asset, Person, Project, Shot, Task
from tests.factories import make_person
from tests.helpers import assert_query_baseline, client_for
from tests.imports.test_csv_import import import_sheets, post_sheet

KINDS = ["persons", "projects", "shots", "assets", "task_types", "tasks"]
HEADERS = {
    "persons": "First Name,Last Name,Email,Phone,Role",
    "projects": "Name,Status",
    "shots": "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out",
    "assets": "Project,Category,Name,Description",
    "task_types": "Department,Name",
    "tasks": "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,"
    "Duration,Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status",
}


def export(client, kind, url=None, **params):
    response = client.get(url or f"/api/export/csv/{kind}.csv", params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def lines(text):
    return text.splitlines()


@pytest.fixture
def sheets_db(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    return api_client


@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(sheets_db, kind):
    text = export(sheets_db, kind)
    assert lines(text)[0] == HEADERS[kind]
    body = post_sheet(sheets_db, kind, text).json()
    assert (body["created"], body["updated"], body["data"]) == (0, 0, [])
    assert body["unchanged"] == len(lines(text)) - 1 > 0


def test_rows_made_outside_csv_round_trip(api_client, admin_person, production):
    """Frames stored as numbers, a start time within the day, several
    assignees of whom two share a name: all come back unchanged."""
    twin_a = make_person("user", first_name="Sam", last_name="Lee")
    twin_b = make_person("user", first_name="sam", last_name="lee")
    task = production["tasks"][0]
    task.real_start_date = datetime.datetime(2017, 3, 20, 14, 32, tzinfo=datetime.UTC)
    task.duration = 1000
    task.assigner = twin_a
    task.save()
    task.assignees.set([twin_a, twin_b, admin_person])
    for kind in KINDS:
        text = export(api_client, kind)
        body = post_sheet(api_client, kind, text).json()
        assert (kind, body.get("created"), body.get("updated")) == (kind, 0, 0), body
    task.refresh_from_db()
    assert task.real_start_date.hour == 14 and task.duration == 1000
    row = next(line for line in lines(export(api_client, "tasks")) if "0.277778" in line)
    assert twin_a.email in row and twin_b.email in row


def test_export_content_and_order(sheets_db):
    assert lines(export(sheets_db, "shots"))[1:] == [
        "Harbour Lights,EP01,SQ010,SH010,Storm rolls in,24,1001,1049",
        "Harbour Lights,EP01,SQ010,SH020,Keeper climbs the stairs,24,1049,1120",
        "Harbour Lights,EP01,SQ020,SH010,Beam sweeps the bay,24,1120,1200",
    ]
    assert lines(export(sheets_db, "tasks"))[1:] == [
        "Harbour Lights,Modeling,Surfacing,,,,Prop,Brass Lantern,Main,Ines Duarte,,16,12,2026-02-02,2026-02-03,2026-02-06,2026-02-09,WIP",
        "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Main,Ines Duarte,Ines Duarte,16,12,2026-02-02,2026-02-03,2026-02-06,2026-02-09,WIP",
        "Harbour Lights,Compositing,Comp,EP01,SQ010,SH010,,,Main,Ines Duarte,,24,8,2026-02-02,,2026-02-06,2026-02-09,Todo",
    ]
    response = sheets_db.get("/api/export/csv/projects.csv", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projects.csv"'
    assert export(sheets_db, "tasks") == export(sheets_db, "tasks", url="/api/export/csv/tasks.csv/")


def test_export_narrowed_to_a_project(sheets_db):
    post_sheet(sheets_db, "assets", "Project,Category,Name\nAgent 327,Prop,Lamp\n")
    agent = Project.objects.get(name="Agent 327")
    by_query = export(sheets_db, "assets", project_id=agent.id)
    by_alias = export(sheets_db, "assets", url=f"/api/export/csv/projects/{agent.id}/assets.csv/")
    assert lines(by_query) == lines(by_alias) == [HEADERS["assets"], "Agent 327,Prop,Lamp,"]
    assert lines(export(sheets_db, "projects", project_id=agent.id))[1:] == ["Agent 327,Open"]
    assert sheets_db.get("/api/export/csv/assets.csv", {"project_id": "nope"}).status_code == 404
    assert sheets_db.get("/api/export/csv/widgets.csv").status_code == 404


def test_export_shows_a_non_manager_only_what_they_see(sheets_db, anon_client):
    cosmos = Project.objects.get(name="Harbour Lights")
    post_sheet(sheets_db, "assets", "Project,Category,Name\nAgent 327,Prop,Secret\n")
    artist = make_person("user", first_name="Art", last_name="Ist")
    teammate = Person.objects.get(email="ines.duarte@lanternfish.studio")
    cosmos.team.add(artist, teammate)
    client = client_for(artist)

    assert lines(export(client, "projects"))[1:] == ["Harbour Lights,Open"]
    assets = export(client, "assets")
    assert "Secret" not in assets and "Brass Lantern" in assets
    assert len(lines(export(client, "tasks"))) == 4
    assert {line.split(",")[2] for line in lines(export(client, "persons"))[1:]} == {artist.email, teammate.email}
    agent = Project.objects.get(name="Agent 327")
    assert client.get(f"/api/export/csv/projects/{agent.id}/assets.csv").status_code == 404
    assert anon_client.get("/api/export/csv/assets.csv").status_code == 401


def add_rows(kind, count, prefix):
    """`count` more rows of the kind, each with what its export reads."""
    shot = Shot.objects.get(parent__name="SQ010", name="SH010")
    template = Task.objects.filter(task_type__name="Blocking").first()
    for n in (f"{prefix}{i}" for i in range(count)):
        if kind == "tasks":
            task = Task.objects.create(
                name=f"Extra {n}", project=shot.project, task_type=template.task_type,
                task_status=template.task_status, entity=shot, assigner=template.assigner,
            )
            task.assignees.set(template.assignees.all())
        elif kind == "shots":
            Shot.objects.create(name=f"Extra {n}", project=shot.project, parent=shot.parent, data={"frame_in": n})
        elif kind == "assets":
            prop = Asset.objects.first().entity_type
            Asset.objects.create(name=f"Extra {n}", project=shot.project, entity_type=prop)
        else:
            make_person("user")


@pytest.mark.parametrize("kind", ["tasks", "shots", "assets", "persons"])
def test_export_query_count_is_flat(sheets_db, django_assert_max_num_queries, kind):
    for count in (3, 30):
        add_rows(kind, count, prefix=f"{count}-")
        with assert_query_baseline(django_assert_max_num_queries, f"GET export/csv/{kind}.csv"):
            text = export(sheets_db, kind)
        assert len(lines(text)) > count


def test_unknown_export_parameters_are_refused(sheets_db):
    response = sheets_db.get("/api/export/csv/shots.csv", {"episode_id": "x"})
    assert response.status_code == 400
    assert response.json() == {"message": "Unknown parameter 'episode_id': an export is narrowed by project_id only."}
