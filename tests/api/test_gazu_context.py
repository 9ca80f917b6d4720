"""gazu 1.3.1's user.get_context, asset.all_assets_for_episode and task.update_task_data, unchanged,
against a live server (issue 15)."""

import gazu
import pytest

from production.models import Asset, Project, ProjectStatus
from tests.factories import make_person

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_context_of_an_artist(gazu_as, production):
    me = gazu_as("user", first_name="Ana", last_name="Ito")
    production["project"].team.add(me)
    teammate = make_person("user", first_name="Bo", last_name="Lund")
    production["project"].team.add(teammate)
    make_person("user", first_name="Off", last_name="Team")  # on no team of mine: not listed
    Project.objects.create(name="Hidden", project_status=ProjectStatus.objects.get(name="Open"))

    context = gazu.user.get_context()
    assert [p["name"] for p in context["projects"]] == ["Cosmos Landromat"]
    assert sorted(p["first_name"] for p in context["persons"]) == ["Ana", "Bo"]
    assert [t["name"] for t in context["asset_types"]] == ["Characters", "Props"]
    assert [t["name"] for t in context["task_types"]] == ["Animation", "Shaders"]
    assert {s["short_name"] for s in context["task_status"]} >= {"todo", "wip", "done"}
    assert "Open" in [s["name"] for s in context["project_status"]]
    assert [d["name"] for d in context["departments"]] == ["Animation", "Modeling"]


def test_the_assets_of_an_episode_are_those_cast_in_its_shots(gazu_as, production):
    gazu_as("manager")
    tree, victor = production["assets"]
    production["shots"][0].entities_out.add(tree)
    Asset.objects.create(name="Rock", project=production["project"], entity_type=production["asset_types"][0])
    assert [a["name"] for a in gazu.asset.all_assets_for_episode(str(production["episode"].id))] == ["Tree"]
    production["shots"][2].entities_out.add(victor, tree)
    assert sorted(a["name"] for a in gazu.asset.all_assets_for_episode(str(production["episode"].id))) == ["Tree", "Victor"]
    with pytest.raises(gazu.exception.ParameterException, match="source_id"):
        gazu.client.fetch_all("assets", {"source_id": "E01"})


def test_a_tasks_data(gazu_as, production):
    from production.models import Task

    gazu_as("manager")
    task = production["tasks"][0]
    assert gazu.task.get_task(str(task.id))["data"] is None
    updated = gazu.task.update_task_data(str(task.id), {"frame_range": [1001, 1048], "farm": "gpu"})
    assert updated["data"] == {"frame_range": [1001, 1048], "farm": "gpu"}
    gazu.task.update_task_data(str(task.id), {"farm": "cpu"})  # merged into what is there
    assert Task.objects.get(pk=task.pk).data == {"frame_range": [1001, 1048], "farm": "cpu"}
    assert [t["data"] for t in gazu.task.all_tasks_for_shot(str(task.entity_id))][0] == {"frame_range": [1001, 1048], "farm": "cpu"}
