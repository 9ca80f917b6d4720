"""gazu 1.3.1's file functions, unchanged, against a live server."""

import gazu
import pytest
from PIL import Image

from files.models import WorkingFile
from production.models import Project
from tests.helpers import THUMBNAIL, shipped_tree

# serialized_rollback: the flush after a transactional test would otherwise
# drop the reference rows the data migrations created (statuses, file status).
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ASSET_FOLDER = "/simple/productions/cosmos_landromat/assets/props/tree/shaders/3ds_max"


@pytest.fixture
def td(gazu_as, production):
    return gazu_as("admin", email="td@studio.test", first_name="Tech", last_name="Director")


@pytest.fixture
def task(td, asset_task, simple_tree):
    return {"id": str(asset_task.id)}


def test_build_working_file_path(task):
    software = gazu.files.new_software("3ds Max", "max", "max")
    path = gazu.files.build_working_file_path(task, name="main", software=software, revision=1)
    assert path == f"{ASSET_FOLDER}/cosmos_landromat_props_tree_shaders_main_v001"
    windows = gazu.files.build_working_file_path(task, software=software, revision=12, sep="\\")
    assert windows.endswith("\\3ds_max\\cosmos_landromat_props_tree_shaders_main_v012")


def test_working_files_new_list_last_and_comment(td, task):
    first = gazu.files.new_working_file(task, name="main", comment="blocking", person=str(td.id))
    assert first["revision"] == 1 and first["comment"] == "blocking" and first["person_id"] == str(td.id)
    assert first["path"] == f"{ASSET_FOLDER}/cosmos_landromat_props_tree_shaders_main_v001"
    second = gazu.files.new_working_file(task, name="main")
    layout = gazu.files.new_working_file(task, name="layout", revision=5)
    assert (second["revision"], layout["revision"]) == (2, 5)

    listed = gazu.files.get_working_files_for_task(task)
    assert [(w["name"], w["revision"]) for w in listed] == [("layout", 5), ("main", 2), ("main", 1)]
    last = gazu.files.get_last_working_files(task)
    assert {name: w["id"] for name, w in last.items()} == {"main": second["id"], "layout": layout["id"]}
    assert gazu.files.get_last_working_file_revision(task, "main")["revision"] == 2

    updated = gazu.files.update_comment(first, "blocking, approved")
    assert updated["id"] == first["id"] and updated["comment"] == "blocking, approved"
    assert WorkingFile.objects.get(pk=first["id"]).comment == "blocking, approved"


def test_next_entity_output_revision(td, asset_task, task):
    output_type = gazu.files.new_output_type("Geometry", "geo")
    task_type = {"id": str(asset_task.task_type_id)}
    entity = {"id": str(asset_task.entity_id)}
    assert gazu.files.get_next_entity_output_revision(entity, output_type, task_type) == 1


def test_avatars_go_up_and_come_back(td, tmp_path, media_root):
    answer = gazu.files.upload_person_avatar(str(td.id), str(THUMBNAIL))
    assert answer == {"thumbnail_path": f"/api/pictures/thumbnails/persons/{td.id}.png"}
    target = tmp_path / "avatar.png"
    gazu.files.download_person_avatar(str(td.id), str(target))
    assert Image.open(target).size == (100, 100)


def test_update_project_file_tree(td, production, asset_task):
    project = production["project"]
    answer = gazu.files.update_project_file_tree({"id": str(project.id)}, shipped_tree("simple"))
    assert answer["id"] == str(project.id) and answer["file_tree"] == shipped_tree("simple")
    assert Project.objects.get(pk=project.id).file_tree == shipped_tree("simple")
    path = gazu.files.build_working_file_path({"id": str(asset_task.id)}, name="main")
    assert path.startswith(ASSET_FOLDER)
