"""CSV export over HTTP (DESIGN.md §9): streamed, §9's headers, stable order,
narrowed to a project and to what the caller sees, flat query count, and an
exported file imports back with no change."""

import datetime

import pytest

from production.models import Asset, Person, Project, Shot, Task
from tests.conftest import client_for, make_person
from tests.imports.test_csv_import import import_reference, post_sheet

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
def reference_db(api_client):
    import_reference(api_client, "projects", "persons", "shots", "assets", "tasks")
    return api_client


@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(reference_db, kind):
    text = export(reference_db, kind)
    assert lines(text)[0] == HEADERS[kind]
    body = post_sheet(reference_db, kind, text).json()
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


def test_export_content_and_order(reference_db):
    assert lines(export(reference_db, "shots"))[1:] == [
        "Cosmos Landraumat,E01,SE01,S01,Description 01,25,0,100",
        "Cosmos Landraumat,E01,SE01,S02,Description 02,25,100,200",
        "Cosmos Landraumat,E01,SE02,S01,Description 03,25,200,300",
    ]
    assert lines(export(reference_db, "tasks"))[1:] == [
        "Cosmos Landraumat,Modeling,Texture,,,,Prop,Cassette Player,Master,John Doe,,40,30,2017-03-19,2017-03-20,2017-03-19,2017-03-21,WIP",
        "Cosmos Landraumat,Compositing,Compositing,E01,SE01,S01,,,Master,John Doe,,50,20,2017-03-19,,2017-03-19,2017-03-21,Todo",
        "Cosmos Landraumat,Animation,Facial,E01,SE01,S01,,,Master,John Doe,John Doe,40,30,2017-03-19,2017-03-20,2017-03-19,2017-03-21,WIP",
    ]
    response = reference_db.get("/api/export/csv/projects.csv", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projects.csv"'
    assert export(reference_db, "tasks") == export(reference_db, "tasks", url="/api/export/csv/tasks.csv/")


def test_export_narrowed_to_a_project(reference_db):
    post_sheet(reference_db, "assets", "Project,Category,Name\nAgent 327,Prop,Lamp\n")
    agent = Project.objects.get(name="Agent 327")
    by_query = export(reference_db, "assets", project_id=agent.id)
    by_alias = export(reference_db, "assets", url=f"/api/export/csv/projects/{agent.id}/assets.csv/")
    assert lines(by_query) == lines(by_alias) == [HEADERS["assets"], "Agent 327,Prop,Lamp,"]
    assert lines(export(reference_db, "projects", project_id=agent.id))[1:] == ["Agent 327,Open"]
    assert reference_db.get("/api/export/csv/assets.csv", {"project_id": "nope"}).status_code == 404
    assert reference_db.get("/api/export/csv/widgets.csv").status_code == 404


def test_export_shows_a_non_manager_only_what_they_see(reference_db, anon_client):
    cosmos = Project.objects.get(name="Cosmos Landraumat")
    post_sheet(reference_db, "assets", "Project,Category,Name\nAgent 327,Prop,Secret\n")
    artist = make_person("user", first_name="Art", last_name="Ist")
    teammate = Person.objects.get(email="john.doe@gmail.com")
    cosmos.team.add(artist, teammate)
    client = client_for(artist)

    assert lines(export(client, "projects"))[1:] == ["Cosmos Landraumat,Open"]
    assets = export(client, "assets")
    assert "Secret" not in assets and "Cassette Player" in assets
    assert len(lines(export(client, "tasks"))) == 4
    assert {line.split(",")[2] for line in lines(export(client, "persons"))[1:]} == {artist.email, teammate.email}
    agent = Project.objects.get(name="Agent 327")
    assert client.get(f"/api/export/csv/projects/{agent.id}/assets.csv").status_code == 404
    assert anon_client.get("/api/export/csv/assets.csv").status_code == 401


def add_rows(kind, count, prefix):
    """`count` more rows of the kind, each with what its export reads."""
    shot = Shot.objects.get(parent__name="SE01", name="S01")
    template = Task.objects.filter(task_type__name="Facial").first()
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
def test_export_query_count_is_flat(reference_db, django_assert_max_num_queries, kind):
    for count in (3, 30):
        add_rows(kind, count, prefix=f"{count}-")
        with django_assert_max_num_queries(5):
            text = export(reference_db, kind)
        assert len(lines(text)) > count


def test_unknown_export_parameters_are_refused(reference_db):
    response = reference_db.get("/api/export/csv/shots.csv", {"episode_id": "x"})
    assert response.status_code == 400
    assert response.json() == {"message": "Unknown parameter 'episode_id': an export is narrowed by project_id only."}
