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


def test_open_tasks_stats_and_persons_tasks_dates(gazu_as, production):
    import datetime

    from production.models import Project, ProjectStatus, Task, TaskStatus

    me = gazu_as("supervisor")
    production["project"].team.add(me)
    p01, p02, p03, tree, victor = production["tasks"]
    done = TaskStatus.objects.get(short_name="done")
    Task.objects.filter(pk=p01.pk).update(task_status=done, duration=3600, estimation=7200)
    Task.objects.filter(pk=p02.pk).update(estimation=1800)
    hidden = Project.objects.create(name="Hidden", project_status=ProjectStatus.objects.get(name="Open"))
    Task.objects.create(name="main", project=hidden, task_type=p01.task_type, task_status=done, entity=p01.entity.__class__.objects.create(name="Z1", project=hidden))

    stats = gazu.task.get_open_tasks_stats()
    project = str(production["project"].id)
    assert list(stats) == [project]  # the hidden project stays out
    assert {k: stats[project][k] for k in ("amount", "amount_done", "total_duration", "total_estimation")} == {
        "amount": 5, "amount_done": 1, "total_duration": 3600, "total_estimation": 9000,
    }
    by_type_status = {(r["task_type_id"], r["task_status_id"]): r["amount"] for r in stats[project]["task_types"]}
    animation, shaders = (str(t.id) for t in production["task_types"])
    assert by_type_status == {(animation, str(done.id)): 1, (animation, str(production["todo"].id)): 2, (shaders, str(production["todo"].id)): 2}

    artist = make_person("user")
    production["project"].team.add(artist)
    for task, start, due in ((p01, datetime.date(2024, 1, 8), datetime.date(2024, 1, 19)), (tree, datetime.date(2024, 1, 1), datetime.date(2024, 1, 12))):
        Task.objects.filter(pk=task.pk).update(start_date=start, due_date=due)
        task.assignees.add(artist)
    make_person("user", active=False).tasks.add(p02)  # inactive: left out
    assert gazu.task.get_persons_tasks_dates() == [{"person_id": str(artist.id), "min_date": "2024-01-01", "max_date": "2024-01-19"}]
