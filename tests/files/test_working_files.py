"""Working files (new, list, last revisions, comment), publish, next output
revision and from-path, over HTTP with real rows."""

import uuid

import pytest
from django.urls import resolve

from files.models import OutputFile, OutputType, Software, WorkingFile
from production.models import Comment, Project, Task
from tests.factories import make_person
from tests.helpers import assert_query_baseline, client_for, shipped_tree

pytestmark = pytest.mark.django_db

ASSET_FOLDER = "/simple/productions/cosmos_landromat/assets/props/tree/shaders/3ds_max"


def new_working_file(client, task, **body):
    return client.post(f"/api/data/tasks/{task.id}/working-files/new", body, format="json")


def publish(client, task, **body):
    return client.post("/api/project/files/working-files/publish", {"task_id": str(task.id), **body}, format="json")


# New working files


def test_new_working_files_take_the_next_revision_per_name(api_client, admin_person, asset_task, simple_tree):
    first = new_working_file(api_client, asset_task, name="main", comment="blocking", revision=0)
    assert first.status_code == 201
    body = first.json()
    assert body["type"] == "WorkingFile" and body["revision"] == 1 and body["comment"] == "blocking"
    assert body["folder_path"] == ASSET_FOLDER and body["file_name"] == "cosmos_landromat_props_tree_shaders_main_v001"
    assert body["path"] == f"{ASSET_FOLDER}/cosmos_landromat_props_tree_shaders_main_v001"
    assert body["task_id"] == str(asset_task.id) and body["entity_id"] == str(asset_task.entity_id)
    assert body["person_id"] == str(admin_person.id)
    assert body["software_id"] == str(Software.objects.get(name="3ds Max").id)
    assert new_working_file(api_client, asset_task, name="main").json()["revision"] == 2
    assert new_working_file(api_client, asset_task, name="layout").json()["revision"] == 1


def test_new_working_file_with_a_given_revision_separator_and_software(api_client, asset_task, simple_tree):
    blender = Software.objects.create(name="Blender", short_name="bl", file_extension="blend")
    response = new_working_file(
        api_client, asset_task, name="main", revision=1000, sep="\\", software_id=str(blender.id)
    )
    body = response.json()
    assert body["revision"] == 1000 and body["software_id"] == str(blender.id)
    assert body["path"] == (
        "/simple\\productions\\cosmos_landromat\\assets\\props\\tree\\shaders\\blender"
        "\\cosmos_landromat_props_tree_shaders_main_v1000"
    )
    assert new_working_file(api_client, asset_task).json()["revision"] == 1001


def test_an_existing_revision_is_400_and_nothing_is_created(api_client, asset_task, simple_tree):
    new_working_file(api_client, asset_task, revision=3)
    response = new_working_file(api_client, asset_task, revision=3)
    assert response.status_code == 400
    assert response.json()["message"] == "Revision 3 of working file 'main' already exists on this task."
    assert WorkingFile.objects.count() == 1


def test_new_working_file_for_another_person(api_client, asset_task, artist):
    response = new_working_file(api_client, asset_task, person_id=str(artist.id))
    assert response.json()["person_id"] == str(artist.id)
    response = new_working_file(api_client, asset_task, person_id=str(uuid.UUID(int=5)))
    assert response.status_code == 400 and response.json()["message"] == f"Unknown person_id '{uuid.UUID(int=5)}'."


def test_only_managers_record_a_working_file_for_someone_else(asset_task, artist, artist_client, admin_person):
    response = new_working_file(artist_client, asset_task, person_id=str(admin_person.id))
    assert response.status_code == 403
    assert response.json()["message"] == "Only managers and admins may record a working file for someone else."
    assert new_working_file(artist_client, asset_task, person_id=str(artist.id)).json()["person_id"] == str(artist.id)


def test_the_first_recorded_path_freezes_the_standard_tree_into_the_project(api_client, asset_task):
    response = new_working_file(api_client, asset_task)
    assert response.json()["file_name"] == "cosmos_landromat_props_tree_shaders_v001"
    assert Project.objects.get(pk=asset_task.project_id).file_tree == shipped_tree("standard")


def test_only_who_may_act_on_the_task_creates_working_files(production, asset_task, shot_task, artist_client):
    assert new_working_file(artist_client, asset_task).status_code == 201
    response = new_working_file(artist_client, shot_task)
    assert response.status_code == 403
    assert response.json()["message"] == "Only the task's assignees, its project's supervisors, managers and admins may act on it."
    client = make_person("client")
    production["project"].team.add(client)
    asset_task.assignees.add(client)
    assert new_working_file(client_for(client), asset_task).status_code == 403
    assert new_working_file(client_for(make_person("manager")), shot_task).status_code == 201
    assert new_working_file(client_for(make_person("user")), asset_task).status_code == 404
    assert WorkingFile.objects.count() == 2


# Lists and last revisions


@pytest.fixture
def revisions(api_client, asset_task, simple_tree):
    for name in ("main", "main", "layout", "main", "layout"):
        new_working_file(api_client, asset_task, name=name)


def test_working_files_of_a_task(api_client, asset_task, shot_task, revisions):
    new_working_file(api_client, shot_task)
    rows = api_client.get(f"/api/data/tasks/{asset_task.id}/working-files").json()
    assert [(row["name"], row["revision"]) for row in rows] == [
        ("layout", 2), ("layout", 1), ("main", 3), ("main", 2), ("main", 1)
    ]
    assert all(row["type"] == "WorkingFile" and row["task_id"] == str(asset_task.id) for row in rows)


def test_last_working_files_keyed_by_name_in_both_spellings(api_client, asset_task, revisions):
    for url in (f"/api/data/tasks/{asset_task.id}/last-working-files",
                f"/api/data/tasks/{asset_task.id}/working-files/last-revisions"):
        body = api_client.get(url).json()
        assert sorted(body) == ["layout", "main"]
        assert body["main"]["revision"] == 3 and body["layout"]["revision"] == 2
        assert body["main"]["path"].endswith("_main_v003")


def test_last_working_files_query_count_is_flat(api_client, asset_task, revisions, django_assert_max_num_queries):
    with assert_query_baseline(django_assert_max_num_queries, "GET data/tasks/<id>/last-working-files"):
        api_client.get(f"/api/data/tasks/{asset_task.id}/last-working-files")


def test_lists_of_an_unseen_task_are_404(asset_task, revisions):
    outsider = client_for(make_person("user"))
    assert outsider.get(f"/api/data/tasks/{asset_task.id}/working-files").status_code == 404
    assert outsider.get(f"/api/data/tasks/{asset_task.id}/last-working-files").status_code == 404


# Comment


def test_update_a_working_file_comment(api_client, asset_task, simple_tree, artist_client):
    working_file = new_working_file(api_client, asset_task).json()
    response = artist_client.put(
        f"/api/actions/working-files/{working_file['id']}/comment", {"comment": "Leaves retopologized"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["comment"] == "Leaves retopologized" and response.json()["id"] == working_file["id"]
    assert WorkingFile.objects.get(pk=working_file["id"]).comment == "Leaves retopologized"


def test_comment_errors(api_client, asset_task, simple_tree):
    working_file = new_working_file(api_client, asset_task).json()
    url = f"/api/actions/working-files/{working_file['id']}/comment"
    assert api_client.put(url, {}, format="json").json()["message"] == "comment: This field is required."
    assert api_client.put(f"/api/actions/working-files/{uuid.UUID(int=4)}/comment", {"comment": "x"},
                          format="json").status_code == 404
    assert client_for(make_person("user")).put(url, {"comment": "x"}, format="json").status_code == 404


# Publish


def test_publish_answers_both_files_and_the_preview_path(api_client, admin_person, asset_task, production):
    production["project"].file_tree = shipped_tree("standard")
    production["project"].save()
    response = publish(api_client, asset_task, comment="test working file publish")
    assert response.status_code == 201, response.content
    body = response.json()
    working, output = body["working_file"], body["output_file"]
    assert working["type"] == "WorkingFile" and working["revision"] == 1
    assert working["folder_path"] == "/simple/productions/cosmos_landromat/assets/props/tree/shaders"
    assert working["file_name"] == "cosmos_landromat_props_tree_shaders_v001"
    assert output["type"] == "OutputFile" and output["revision"] == 1
    assert output["folder_path"] == "/simple/productions/export/cosmos_landromat/assets/props/tree/shaders"
    assert output["file_name"] == "cosmos_landromat_props_tree_shaders_v001_test_working_file_publish"
    assert output["path"] == f"{output['folder_path']}/{output['file_name']}"
    assert output["source_file_id"] == working["id"] and output["comment"] == "test working file publish"
    assert output["output_type_id"] == str(OutputType.objects.get(name="Geometry").id)
    assert output["person_id"] == str(admin_person.id)
    assert body["preview_path"] == {
        "folder_path": "/simple/productions/previews/cosmos_landromat/assets/props/tree/shaders",
        "file_name": "cosmos_landromat_props_tree_shaders_v001",
    }
    file_status = OutputFile.objects.get(pk=output["id"]).file_status
    assert file_status.name == "To review"


def test_publish_sets_the_task_to_review_through_a_comment(api_client, admin_person, asset_task, simple_tree):
    publish(api_client, asset_task, comment="Ready")
    task = Task.objects.get(pk=asset_task.pk)
    assert (task.task_status.name, task.task_status.short_name) == ("To review", "pndng")
    comment = Comment.objects.get(object_id=asset_task.pk)
    assert comment.text == "Ready" and comment.task_status == task.task_status and comment.person == admin_person


def test_publish_creates_the_review_status_when_missing(api_client, asset_task, simple_tree):
    from production.models import TaskStatus

    TaskStatus.objects.filter(short_name="pndng").delete()
    publish(api_client, asset_task)
    assert Task.objects.get(pk=asset_task.pk).task_status.short_name == "pndng"


def test_publishes_count_working_and_output_revisions(api_client, shot_task, simple_tree):
    answers = [publish(api_client, shot_task).json() for _ in range(3)]
    cache = OutputType.objects.create(name="Cache", short_name="cch")
    assert [a["working_file"]["revision"] for a in answers] == [1, 2, 3]
    assert [a["output_file"]["revision"] for a in answers] == [1, 2, 3]
    cached = publish(api_client, shot_task, output_type_id=str(cache.id), sep="\\").json()
    assert cached["output_file"]["revision"] == 1 and cached["working_file"]["revision"] == 4
    assert cached["output_file"]["folder_path"] == (
        "/simple\\productions/export\\cosmos_landromat\\shots\\s01\\p01\\animation\\cache"
    )
    assert cached["output_file"]["file_name"] == "cosmos_landromat_s01_p01_animation_cache_v001"


def test_publish_of_an_existing_working_revision_reuses_it(api_client, asset_task, simple_tree):
    existing = new_working_file(api_client, asset_task, comment="the one").json()
    new_working_file(api_client, asset_task)
    body = publish(api_client, asset_task, working_file_revision=1).json()
    assert body["working_file"]["id"] == existing["id"] and body["working_file"]["comment"] == "the one"
    assert body["working_file"]["file_name"] == "cosmos_landromat_props_tree_shaders_main_v001"
    assert WorkingFile.objects.count() == 2
    assert publish(api_client, asset_task, working_file_revision=7).json()["working_file"]["revision"] == 7


def test_publish_without_a_preview_mode_has_no_preview_path(api_client, asset_task, production):
    tree = shipped_tree("simple")
    del tree["preview"]
    production["project"].file_tree = tree
    production["project"].save()
    assert publish(api_client, asset_task).json()["preview_path"] is None


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"task_id": str(uuid.UUID(int=6))}, 404, f"Task {uuid.UUID(int=6)} not found."),
        ({"task_id": None}, 400, "task_id: This field may not be null."),
        ({"output_type_id": str(uuid.UUID(int=7))}, 400, f"Unknown output_type_id '{uuid.UUID(int=7)}'."),
        ({"working_file_revision": -2}, 400, "working_file_revision: Ensure this value is greater than or equal to 0."),
    ],
)
def test_publish_errors_leave_nothing_behind(api_client, asset_task, simple_tree, body, status, message):
    response = publish(api_client, asset_task, **body)
    assert response.status_code == status and response.json()["message"] == message
    assert not WorkingFile.objects.exists() and not OutputFile.objects.exists()
    assert Task.objects.get(pk=asset_task.pk).task_status.short_name == "todo"


def test_a_publish_that_fails_on_the_tree_is_rolled_back(api_client, asset_task, production):
    tree = shipped_tree("simple")
    tree["output"]["file_name"]["asset"] = "<Asset>_<Version>"
    Project.objects.filter(pk=production["project"].pk).update(file_tree=tree)
    response = publish(api_client, asset_task)
    assert response.status_code == 400 and response.json()["message"].startswith("Unknown token <Version>.")
    assert not WorkingFile.objects.exists() and not OutputFile.objects.exists()


def test_publish_permissions(asset_task, shot_task, simple_tree, artist_client):
    assert publish(artist_client, asset_task).status_code == 201
    assert publish(artist_client, shot_task).status_code == 403
    assert publish(client_for(make_person("user")), asset_task).status_code == 404


# Next output revision


def test_next_output_revision_of_a_task(api_client, shot_task, simple_tree):
    url = f"/api/data/tasks/{shot_task.id}/output-files/next-revision"
    assert api_client.get(url).json() == {"next_revision": 1}
    publish(api_client, shot_task)
    publish(api_client, shot_task)
    cache = OutputType.objects.create(name="Cache", short_name="cch")
    geometry = OutputType.objects.get(name="Geometry")
    assert api_client.get(url, {"output_type_id": str(geometry.id)}).json() == {"next_revision": 3}
    assert api_client.post(url, {"output_type_id": str(cache.id)}, format="json").json() == {"next_revision": 1}
    assert api_client.get(url, {"output_type_id": str(cache.id)}).json() == {"next_revision": 1}


def test_next_output_revision_of_an_entity(api_client, shot_task, simple_tree):
    geometry = OutputType.objects.create(name="Geometry", short_name="geo")
    publish(api_client, shot_task)
    url = f"/api/data/entities/{shot_task.entity_id}/output-files/next-revision"
    body = {"task_type_id": str(shot_task.task_type_id), "output_type_id": str(geometry.id), "name": "main"}
    assert api_client.post(url, body, format="json").json() == {"next_revision": 2}
    response = api_client.post(url, {**body, "task_type_id": str(uuid.UUID(int=8))}, format="json")
    assert response.status_code == 400 and response.json()["message"] == f"Unknown task_type_id '{uuid.UUID(int=8)}'."


# From a path back to its task


@pytest.fixture
def from_path_route():
    """POST data/tasks/from-path must reach this app's view, not the task CRUD detail route."""
    assert resolve("/api/data/tasks/from-path").url_name == "task-from-path"
    return "/api/data/tasks/from-path"


def test_from_path_finds_the_task(api_client, asset_task, shot_task, simple_tree, from_path_route):
    for task, kind in ((asset_task, "asset"), (shot_task, "shot")):
        folder = api_client.post(f"/api/data/tasks/{task.id}/folder-path", {}, format="json").json()["path"]
        for body in ({"file_path": folder}, {"file_path": f"{folder}/some_file_v003.max", "type": kind,
                                             "project_id": str(task.project_id)}):
            response = api_client.post(from_path_route, body, format="json")
            assert response.status_code == 200, response.content
            assert response.json()["id"] == str(task.id) and response.json()["type"] == "Task"


def test_from_path_with_windows_separators_and_output_mode(api_client, shot_task, simple_tree, from_path_route):
    path = "/simple\\productions/export\\cosmos_landromat\\shots\\s01\\p01\\animation\\cache\\x_v001.abc"
    body = {"file_path": path, "sep": "\\", "mode": "output"}
    assert api_client.post(from_path_route, body, format="json").json()["id"] == str(shot_task.id)


def test_from_path_misses_are_404(api_client, production, simple_tree, from_path_route, artist_client):
    miss = {"file_path": "/simple/productions/cosmos_landromat/assets/props/bush/shaders/3ds_max"}
    response = api_client.post(from_path_route, miss, format="json")
    assert response.status_code == 404 and response.json() == {"message": "No task you can see matches this path."}
    shot_folder = "/simple/productions/cosmos_landromat/shots/s01/p01/animation/3ds_max"
    assert client_for(make_person("user")).post(from_path_route, {"file_path": shot_folder},
                                                format="json").status_code == 404
    assert artist_client.post(from_path_route, {"file_path": shot_folder}, format="json").status_code == 200


def test_from_path_with_a_mode_the_project_lacks_is_400(api_client, asset_task, simple_tree, from_path_route):
    body = {"file_path": "/x", "mode": "render", "project_id": str(asset_task.project_id), "type": "asset"}
    response = api_client.post(from_path_route, body, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("Unknown mode 'render'.")


def test_from_path_with_a_mode_the_named_project_lacks_is_400_even_without_a_type(
    api_client, asset_task, simple_tree, from_path_route
):
    body = {"file_path": "/x", "mode": "render", "project_id": str(asset_task.project_id)}
    response = api_client.post(from_path_route, body, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("Unknown mode 'render'.")


def test_from_path_passes_over_kinds_the_tree_lacks(api_client, shot_task, simple_tree, from_path_route):
    """simple has no sequence or episode template: trying every kind reaches them and goes on to a 404."""
    body = {"file_path": "/simple/productions/unknown", "project_id": str(shot_task.project_id)}
    response = api_client.post(from_path_route, body, format="json")
    assert response.status_code == 404 and response.json() == {"message": "No task you can see matches this path."}
