"""data/tasks/from-path against trees with several tokens in one folder name
(issue 13 finding 2), over HTTP with real rows."""

import pytest

from files.file_trees import FROM_PATH_MAX_LENGTH
from production.models import Project

pytestmark = pytest.mark.django_db

ROUTE = "/api/data/tasks/from-path"
FOUR_TOKENS_FOLDER = "<Project>/shots/<Sequence>_<Shot>_<TaskType>_<Task>/work"


@pytest.fixture
def four_token_project(api_client, production):
    project = production["project"]
    tree = {
        "working": {
            "mountpoint": "/mnt",
            "root": "prod",
            "folder_path": {"shot": FOUR_TOKENS_FOLDER, "asset": "<Project>/assets/<Asset>", "style": "lowercase"},
            "file_name": {"shot": "<Shot>", "asset": "<Asset>", "style": "lowercase"},
        }
    }
    response = api_client.post(f"/api/actions/projects/{project.id}/set-file-tree", {"file_tree": tree}, format="json")
    assert response.status_code == 200, response.content
    return project


def test_a_folder_of_four_tokens_reads_back_to_its_task(api_client, production, four_token_project):
    shot_task = production["tasks"][0]
    folder = api_client.post(f"/api/data/tasks/{shot_task.id}/folder-path", {}, format="json").json()["path"]
    assert folder == "/mnt/prod/cosmos_landromat/shots/s01_p01_animation_main/work"
    response = api_client.post(ROUTE, {"file_path": f"{folder}/p01_v001.ma"}, format="json")
    assert response.status_code == 200 and response.json()["id"] == str(shot_task.id)


def test_an_almost_matching_path_at_the_length_limit_is_a_plain_miss(api_client, four_token_project):
    """The attack: a folder of `a_a_a...` under a four-token template with a
    last folder that misses, which made the regex try every split of it."""
    head = "/mnt/prod/cosmos_landromat/shots/"
    path = head + "a_" * ((FROM_PATH_MAX_LENGTH - len(head) - len("/wor")) // 2) + "/wor"
    assert FROM_PATH_MAX_LENGTH - 2 < len(path) <= FROM_PATH_MAX_LENGTH
    before = Project.objects.get(pk=four_token_project.pk).file_tree
    response = api_client.post(ROUTE, {"file_path": path}, format="json")
    assert response.status_code == 404 and response.json() == {"message": "No task you can see matches this path."}
    assert Project.objects.get(pk=four_token_project.pk).file_tree == before


def test_a_path_over_the_limit_is_a_400_naming_file_path(api_client, four_token_project):
    path = "/mnt/prod/cosmos_landromat/shots/" + "a_" * FROM_PATH_MAX_LENGTH
    response = api_client.post(ROUTE, {"file_path": path}, format="json")
    assert response.status_code == 400
    assert "file_path" in response.json()["errors"] and "file_path" in response.json()["message"]
