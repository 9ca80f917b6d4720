"""Folder and file path routes and set-tree, both URL dialects, over HTTP."""

import uuid

import pytest

from files.models import OutputType, Software, WorkingFile
from production.models import Project
from tests.factories import make_person
from tests.helpers import client_for, shipped_tree

pytestmark = pytest.mark.django_db

ASSET_FOLDER = "/simple/productions/cosmos_landromat/assets/props/tree/shaders/3ds_max"


def folder_routes(task):
    """The seed route names the task in the body, Zou's in the URL."""
    return [("/api/project/tree/folder", {"task_id": str(task.id)}), (f"/api/data/tasks/{task.id}/folder-path", {})]


def file_routes(task):
    return [
        ("/api/project/tree/file", {"task_id": str(task.id)}),
        (f"/api/data/tasks/{task.id}/file-path", {}),
        (f"/api/data/tasks/{task.id}/working-file-path", {}),
    ]


def test_working_folder_of_an_asset_in_both_dialects(api_client, asset_task, simple_tree):
    for url, body in folder_routes(asset_task):
        response = api_client.post(url, body, format="json")
        assert response.status_code == 200, response.content
        assert response.json() == {"path": ASSET_FOLDER}


@pytest.mark.parametrize("key", ["sep", "separator"])
def test_backslash_separator_in_either_spelling(api_client, asset_task, simple_tree, key):
    for url, body in folder_routes(asset_task):
        response = api_client.post(url, {**body, key: "\\"}, format="json")
        assert response.json() == {"path": ASSET_FOLDER.replace("/", "\\").replace("\\simple", "/simple", 1)}


def test_output_folder_of_a_shot(api_client, shot_task, simple_tree):
    cache = OutputType.objects.create(name="Cache", short_name="cch")
    response = api_client.post(
        f"/api/data/tasks/{shot_task.id}/folder-path", {"mode": "output", "output_type_id": str(cache.id)},
        format="json",
    )
    assert response.json() == {"path": "/simple/productions/export/cosmos_landromat/shots/s01/p01/animation/cache"}


def test_file_path_first_revision_in_every_route(api_client, asset_task, simple_tree):
    for url, body in file_routes(asset_task):
        response = api_client.post(url, {**body, "name": "main"}, format="json")
        assert response.status_code == 200
        assert response.json() == {"path": ASSET_FOLDER, "name": "cosmos_landromat_props_tree_shaders_main_v001"}


@pytest.mark.parametrize("key", ["version", "revision"])
def test_file_path_given_version_in_either_spelling(api_client, asset_task, simple_tree, key):
    response = api_client.post(
        f"/api/data/tasks/{asset_task.id}/file-path", {key: 1042, "comment": "Leaves fixed"}, format="json"
    )
    assert response.json()["name"] == "cosmos_landromat_props_tree_shaders_main_v1042_leaves_fixed"


def test_file_path_without_version_is_the_next_working_revision(api_client, asset_task, simple_tree):
    WorkingFile.objects.create(name="main", revision=7, task=asset_task, entity=asset_task.entity)
    WorkingFile.objects.create(name="layout", revision=30, task=asset_task, entity=asset_task.entity)
    for version in ({}, {"version": 0}, {"revision": 0}):
        response = api_client.post(f"/api/data/tasks/{asset_task.id}/file-path", version, format="json")
        assert response.json()["name"] == "cosmos_landromat_props_tree_shaders_main_v008"


def test_output_file_path_without_version_is_the_next_output_revision(api_client, shot_task, simple_tree):
    response = api_client.post(f"/api/data/tasks/{shot_task.id}/file-path", {"mode": "output"}, format="json")
    assert response.json()["name"] == "cosmos_landromat_s01_p01_animation_geometry_v001"


def test_default_software_and_output_type_are_created_once(api_client, asset_task, simple_tree):
    assert not Software.objects.exists() and not OutputType.objects.exists()
    for _ in range(2):
        api_client.post(f"/api/data/tasks/{asset_task.id}/folder-path", {"mode": "output"}, format="json")
    assert list(Software.objects.values_list("name", "short_name", "file_extension")) == [("3ds Max", "max", "max")]
    assert list(OutputType.objects.values_list("name", "short_name")) == [("Geometry", "geo")]


def test_the_first_software_is_used_when_none_is_given(api_client, asset_task, simple_tree):
    Software.objects.create(name="Blender", short_name="bl", file_extension="blend")
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.json()["path"].endswith("/shaders/blender")
    assert not Software.objects.filter(name="3ds Max").exists()


def test_a_project_without_tree_uses_the_standard_tree_without_storing_it(api_client, asset_task):
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/file-path", {"name": "main"}, format="json")
    assert response.json() == {
        "path": "/simple/productions/cosmos_landromat/assets/props/tree/shaders",
        "name": "cosmos_landromat_props_tree_shaders_v001",
    }
    assert Project.objects.get(pk=asset_task.project_id).file_tree is None


@pytest.mark.parametrize(
    "body, message",
    [
        ({"mode": "render"}, "Unknown mode 'render'. Modes of this file tree: output, preview, working."),
        ({"software_id": str(uuid.UUID(int=1))}, f"Unknown software_id '{uuid.UUID(int=1)}'."),
        ({"output_type_id": str(uuid.UUID(int=2))}, f"Unknown output_type_id '{uuid.UUID(int=2)}'."),
        ({"software_id": "not-a-uuid"}, "software_id: Must be a valid UUID."),
        ({"sep": ":"}, 'sep: ":" is not a valid choice.'),
        ({"separator": ":"}, 'separator: ":" is not a valid choice.'),
        ({"version": -1}, "version: Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_requests_are_400_naming_the_field(api_client, asset_task, simple_tree, body, message):
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/file-path", body, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_an_unknown_token_in_a_stored_tree_is_400(api_client, asset_task, production):
    tree = shipped_tree("simple")
    tree["working"]["folder_path"]["asset"] = "<Project>/<Asset>/<Variant>"
    Project.objects.filter(pk=production["project"].pk).update(file_tree=tree)
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Unknown token <Variant>. Known tokens: <Project>,")


def test_unknown_task_is_404_in_both_dialects(api_client, production):
    task_id = str(uuid.UUID(int=9))
    for url, body in [("/api/project/tree/folder", {"task_id": task_id}), (f"/api/data/tasks/{task_id}/folder-path", {})]:
        response = api_client.post(url, body, format="json")
        assert response.status_code == 404 and response.json() == {"message": f"Task {task_id} not found."}


def test_malformed_task_id_is_404_in_a_url_and_400_in_a_body(api_client, production):
    response = api_client.post("/api/data/tasks/not-a-uuid/folder-path", {}, format="json")
    # Ids in paths only match UUIDs: no route takes a malformed one (DESIGN §4.4).
    assert response.status_code == 404
    assert response.json() == {"message": "No API route matches '/api/data/tasks/not-a-uuid/folder-path'."}
    response = api_client.post("/api/project/tree/folder", {"task_id": "not-a-uuid"}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "task_id: Must be a valid UUID."


def test_seed_route_without_task_id_is_400(api_client, production):
    response = api_client.post("/api/project/tree/folder", {}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "task_id: This field is required."


def test_a_person_outside_the_team_gets_404_and_a_team_member_gets_the_path(asset_task, simple_tree, production):
    outsider = client_for(make_person("user"))
    response = outsider.post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.status_code == 404
    member = make_person("client")
    production["project"].team.add(member)
    response = client_for(member).post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.json() == {"path": ASSET_FOLDER}


def test_routes_need_a_token(anon_client, asset_task):
    response = anon_client.post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.status_code == 401 and "message" in response.json()


def test_trailing_slash_is_tolerated_without_redirect(api_client, asset_task, simple_tree):
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/folder-path/", {}, format="json")
    assert response.status_code == 200 and response.json() == {"path": ASSET_FOLDER}


# set-tree


def test_manager_sets_a_shipped_tree_in_both_dialects(production):
    """The tree is copied into the project row: later edits of the shipped file cannot reach it."""
    manager = client_for(make_person("manager"))
    project = production["project"]
    response = manager.post(
        "/api/project/set-tree", {"project_id": str(project.id), "tree_name": "simple"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(project.id) and body["type"] == "Project" and body["file_tree"] == shipped_tree("simple")
    response = manager.post(f"/api/actions/projects/{project.id}/set-file-tree", {"tree_name": "standard"}, format="json")
    assert response.json()["file_tree"] == shipped_tree("standard")
    project.refresh_from_db()
    assert project.file_tree == shipped_tree("standard")


def test_manager_sets_a_custom_tree(api_client, production):
    tree = shipped_tree("simple")
    tree["render"] = dict(tree["working"], root="renders")
    project = production["project"]
    response = api_client.post(f"/api/actions/projects/{project.id}/set-file-tree", {"file_tree": tree}, format="json")
    assert response.status_code == 200 and response.json()["file_tree"]["render"]["root"] == "renders"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"tree_name": "fancy"}, "Unknown tree_name 'fancy'. Shipped trees: simple, standard."),
        ({}, "tree_name: Give either tree_name or file_tree."),
        ({"tree_name": "simple", "file_tree": {}}, "tree_name: Give either tree_name or file_tree."),
        ({"file_tree": {"working": {"mountpoint": "/m"}}}, "file_tree.working.root: is required."),
        ({"file_tree": {"working": {"mountpoint": "/m", "root": "r", "folder_path": {"shot": "<Shoot>", "asset": ""},
                                    "file_name": {"shot": "", "asset": ""}}}},
         "file_tree.working.folder_path.shot: Unknown token <Shoot>."),
    ],
)
def test_bad_trees_are_400_and_nothing_changes(api_client, production, body, message):
    project = production["project"]
    response = api_client.post(f"/api/actions/projects/{project.id}/set-file-tree", body, format="json")
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    project.refresh_from_db()
    assert project.file_tree is None


def test_set_tree_is_for_managers_only(production, artist_client):
    project = production["project"]
    for role in ("supervisor", "user", "client"):
        person = make_person(role)
        project.team.add(person)
        response = client_for(person).post(
            f"/api/actions/projects/{project.id}/set-file-tree", {"tree_name": "simple"}, format="json"
        )
        assert response.status_code == 403 and response.json()["message"] == "Only managers and admins may do this."
    project.refresh_from_db()
    assert project.file_tree is None


def test_set_tree_on_an_unknown_project_is_404(api_client, production):
    response = api_client.post(
        "/api/project/set-tree", {"project_id": str(uuid.UUID(int=3)), "tree_name": "simple"}, format="json"
    )
    assert response.status_code == 404 and response.json()["message"] == f"Project {uuid.UUID(int=3)} not found."
