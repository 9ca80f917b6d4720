"""The Shotgun import errors routes and the remove routes, both URL dialects."""

import pytest

from files.models import PreviewFile
from imports.models import DataImportError
from production.models import Asset, Comment, Task
from tests.factories import make_person
from tests.helpers import client_for
from tests.imports.test_shotgun_import import import_fixture_export, post


@pytest.fixture
def imported(api_client):
    return import_fixture_export(api_client)


@pytest.mark.parametrize("prefix", ["data/import/shotgun", "import/shotgun"])
def test_errors_list_create_get_delete(api_client, prefix):
    post(api_client, "shots", [{"type": "Shot", "id": 608, "code": "HL080_0010", "project": {"type": "Project", "id": 404}}])
    DataImportError.objects.create(source="csv", event_data={"kind": "shots", "message": "CSV trouble"})

    listed = api_client.get(f"/api/{prefix}/errors").json()
    assert [(row["type"], row["source"], row["event_data"]["id"]) for row in listed] == [("DataImportError", "shotgun", 608)]
    assert listed[0]["event_data"]["reason"] == "'project': no project with Shotgun id 404."

    created = api_client.post(f"/api/{prefix}/errors/", {"type": "EventLogEntry", "id": 77, "event_type": "Shotgun_Shot_Change"}, format="json")
    assert created.status_code == 201
    assert created.json()["event_data"] == {"type": "EventLogEntry", "id": 77, "event_type": "Shotgun_Shot_Change"}
    error_id = created.json()["id"]

    paged = api_client.get(f"/api/{prefix}/errors?page=1&limit=1").json()
    assert (paged["total"], paged["nb_pages"], len(paged["data"])) == (2, 2, 1)

    assert api_client.get(f"/api/{prefix}/errors/{error_id}").json()["event_data"]["id"] == 77
    read = api_client.post(f"/api/{prefix}/errors/{error_id}")  # the seed document reads one with a POST
    assert read.status_code == 200 and read.json() == api_client.get(f"/api/{prefix}/errors/{error_id}").json()
    assert api_client.delete(f"/api/{prefix}/errors/{error_id}").status_code == 204
    assert api_client.get(f"/api/{prefix}/errors/{error_id}").status_code == 404
    assert api_client.get(f"/api/{prefix}/errors/not-a-uuid").status_code == 404
    csv_error = DataImportError.objects.get(source="csv")
    assert api_client.get(f"/api/{prefix}/errors/{csv_error.id}").status_code == 404
    assert api_client.post(f"/api/{prefix}/errors/{csv_error.id}").status_code == 404


def test_error_body_must_be_an_object(api_client):
    response = api_client.post("/api/data/import/shotgun/errors", [1, 2], format="json")
    assert response.status_code == 400
    assert "JSON object" in response.json()["message"]
    assert not DataImportError.objects.exists()


def test_errors_routes_need_a_manager(db, anon_client):
    assert anon_client.get("/api/data/import/shotgun/errors").status_code == 401
    response = client_for(make_person("user")).get("/api/data/import/shotgun/errors")
    assert response.status_code == 403
    assert response.json()["message"] == "Only managers and admins may do this."


@pytest.mark.parametrize("prefix", ["import/shotgun", "data/import/shotgun"])
def test_remove_deletes_the_row_with_that_shotgun_id(api_client, imported, prefix):
    preview_id = PreviewFile.objects.get(shotgun_id=801).id
    response = api_client.post(f"/api/{prefix}/remove/versions", {"id": 801}, format="json")
    assert response.json() == {"success": True, "removed_instance_id": str(preview_id)}
    assert not PreviewFile.objects.exists()
    # Removing again succeeds: a Shotgun event may be delivered twice.
    assert api_client.post(f"/api/{prefix}/remove/versions/", {"id": 801}, format="json").json() == {
        "success": True,
        "removed_instance_id": None,
    }


def test_remove_refused_while_rows_point_to_it(api_client, imported):
    response = api_client.post("/api/import/shotgun/remove/assets", {"id": 501}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "This asset cannot be deleted: 1 tasks still point to it."
    assert Asset.objects.filter(shotgun_id=501).exists()


def test_remove_task_takes_its_comments(api_client, imported):
    post(api_client, "notes", [{"type": "Note", "id": 903, "content": "Fix", "tasks": [{"type": "Task", "id": 7076}]}])
    assert api_client.post("/api/import/shotgun/remove/tasks", {"id": 7076}, format="json").json()["success"] is True
    assert not Task.objects.filter(shotgun_id=7076).exists()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "kind, body, status, message",
    [
        ("shots", {}, 400, "id: This field is required."),
        ("shots", {"id": "seven"}, 400, "id: A valid integer is required."),
        ("shots", [1], 400, "JSON object"),
        ("playlists", {"id": 1}, 404, "Unknown Shotgun kind 'playlists'"),
    ],
)
def test_remove_refuses_bad_bodies_and_kinds(api_client, kind, body, status, message):
    response = api_client.post(f"/api/import/shotgun/remove/{kind}", body, format="json")
    assert response.status_code == status
    assert message in response.json()["message"]


def test_remove_needs_a_manager(imported):
    response = client_for(make_person("supervisor")).post("/api/import/shotgun/remove/versions", {"id": 801}, format="json")
    assert response.status_code == 403
    assert PreviewFile.objects.exists()
