"""Folders as rendered stay below the tree's root (issue 13 finding 9): the
tree's check sees templates only, and a token rendering empty can turn
`.<Episode>.` into `..`. Over HTTP with real rows."""

import pytest

from files.models import WorkingFile
from files.path_templates import FileTreeError, PathValues, folder_path

pytestmark = pytest.mark.django_db

CLIMBING_FOLDER = "<Project>/assets/.<Episode>./.<Episode>./.<Episode>./etc/<Asset>"


def tree_with_asset_folder(folder):
    return {
        "working": {
            "mountpoint": "/simple",
            "root": "productions",
            "folder_path": {"shot": "<Project>/<Shot>", "asset": folder, "style": "lowercase"},
            "file_name": {"shot": "<Shot>", "asset": "<Asset>", "style": "lowercase"},
        }
    }


@pytest.fixture
def climbing_project(api_client, production):
    project = production["project"]
    url = f"/api/actions/projects/{project.id}/set-file-tree"
    response = api_client.post(url, {"file_tree": tree_with_asset_folder(CLIMBING_FOLDER)}, format="json")
    assert response.status_code == 200, response.content
    return project


def test_a_folder_rendering_dot_dot_is_refused_and_nothing_stored(api_client, production, climbing_project):
    asset_task = production["tasks"][3]
    expected = "file_tree.working.folder_path.asset: renders the folder '..'"
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/working-files/new", {"name": "main"}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(expected), response.content
    assert not WorkingFile.objects.exists()
    response = api_client.post(f"/api/data/tasks/{asset_task.id}/folder-path", {}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(expected)
    response = api_client.post("/api/project/files/working-files/publish", {"task_id": str(asset_task.id)}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(expected)
    assert not WorkingFile.objects.exists()


def test_the_same_tree_still_gives_paths_where_the_token_is_filled():
    """The tree itself is not refused: with an episode the folder is `.e01.`, an ordinary name."""
    values = PathValues(project="P", episode="E01", asset="Rock")
    tree = tree_with_asset_folder(CLIMBING_FOLDER)
    assert folder_path(tree, "working", "asset", values) == "/simple/productions/p/assets/.e01./.e01./.e01./etc/rock"


@pytest.mark.parametrize("folder", [".<Episode>", "<Episode>. .", "x\\<Episode>"])
def test_other_folders_that_would_not_stay_below_the_root(folder):
    """`.`, Windows' trailing dots and spaces (`. .` is `.` there), and a backslash, a separator on Windows."""
    tree = tree_with_asset_folder(f"<Project>/{folder}/<Asset>")
    with pytest.raises(FileTreeError, match=r"^file_tree\.working\.folder_path\.asset: renders the folder"):
        folder_path(tree, "working", "asset", PathValues(project="P", asset="Rock"))
