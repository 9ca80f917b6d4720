"""gazu 1.3.1, Zou's official client, unchanged, against a live server: every
call the REST API issue lists must work and return the right rows."""

import datetime

import gazu
import pytest

from production.models import Comment, Person, Project, Shot, Task, TimeSpent
from tests.factories import PASSWORD

# serialized_rollback: the flush between transactional tests would otherwise
# drop the reference rows the data migrations created (statuses, entity types).
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def gazu_admin(gazu_as):
    return gazu_as("admin", email="td@studio.test", first_name="Tech", last_name="Director")


def test_auth(gazu_admin, live_server):
    user = gazu.client.get_current_user()
    assert user["id"] == str(gazu_admin.id) and user["email"] == "td@studio.test"
    assert gazu.client.host_is_up()
    gazu.log_out()
    gazu.set_host(f"{live_server.url}/api")
    with pytest.raises(gazu.exception.AuthFailedException):
        gazu.log_in("td@studio.test", "wrong password")
    # The email is matched whatever its case.
    assert gazu.log_in("TD@studio.test", PASSWORD)["user"]["id"] == str(gazu_admin.id)


def test_projects_and_persons(gazu_admin):
    project = gazu.project.new_project("Agent 327")
    assert Project.objects.get(name="Agent 327").id.hex == project["id"].replace("-", "")
    assert gazu.project.new_project("Agent 327")["id"] == project["id"]  # found, not duplicated
    assert [p["name"] for p in gazu.project.all_projects()] == ["Agent 327"]
    assert gazu.project.get_project(project["id"])["name"] == "Agent 327"
    assert gazu.project.get_project_by_name("Agent 327")["id"] == project["id"]
    assert gazu.project.get_project_by_name("Nope") is None
    assert gazu.project.all_open_projects() == []
    gazu.project.update_project({"id": project["id"], "project_status_id": _open_status_id()})
    assert [p["id"] for p in gazu.project.all_open_projects()] == [project["id"]]

    person = gazu.person.new_person("John", "Doe", "John.Doe@Studio.test", role="user", password="a-Long-pass-2017")
    assert person["email"] == "john.doe@studio.test" and person["role"] == "user"
    assert "password" not in person
    assert Person.objects.get(email="john.doe@studio.test").check_password("a-Long-pass-2017")
    assert gazu.person.get_person_by_email("john.doe@studio.test")["id"] == person["id"]
    assert gazu.person.new_person("John", "Doe", "john.doe@studio.test")["id"] == person["id"]
    emails = sorted(p["email"] for p in gazu.person.all_persons())
    assert emails == ["john.doe@studio.test", "td@studio.test"]
    assert gazu.person.all_departments() == []


def _open_status_id():
    from production.models import ProjectStatus

    return str(ProjectStatus.objects.get(name="Open").id)


def test_breakdown(gazu_admin):
    project = gazu.project.new_project("Cosmos Landromat")
    props = gazu.asset.new_asset_type("Props")
    assert props["name"] == "Props"
    assert gazu.asset.new_asset_type("Props")["id"] == props["id"]
    assert "Props" in [t["name"] for t in gazu.asset.all_asset_types()]

    tree = gazu.asset.new_asset(project, props, "Tree", "A tall tree")
    assert tree["name"] == "Tree" and tree["entity_type_id"] == props["id"] and tree["project_id"] == project["id"]
    assert gazu.asset.new_asset(project, props, "Tree")["id"] == tree["id"]
    assert gazu.asset.get_asset_by_name(project, "Tree")["id"] == tree["id"]
    assert [a["name"] for a in gazu.asset.all_assets_for_project(project)] == ["Tree"]

    episode = gazu.shot.new_episode(project, "E01")
    assert gazu.shot.new_episode(project, "E01")["id"] == episode["id"]
    sequence = gazu.shot.new_sequence(project, "S01", episode=episode)
    assert sequence["parent_id"] == episode["id"]
    assert gazu.shot.new_sequence(project, "S01", episode=episode)["id"] == sequence["id"]
    assert gazu.shot.get_sequence_by_name(project, "S01")["id"] == sequence["id"]
    assert [s["id"] for s in gazu.shot.all_sequences_for_episode(episode)] == [sequence["id"]]

    shot = gazu.shot.new_shot(project, sequence, "P01", nb_frames=48, frame_in=1, frame_out=48, description="Opening")
    assert shot["parent_id"] == sequence["id"] and shot["nb_frames"] == 48
    assert shot["data"] == {"frame_in": 1, "frame_out": 48}
    assert gazu.shot.new_shot(project, sequence, "P01")["id"] == shot["id"]
    assert gazu.shot.get_shot_by_name(sequence, "P01")["id"] == shot["id"]
    assert [s["name"] for s in gazu.shot.all_shots_for_sequence(sequence)] == ["P01"]
    assert [s["name"] for s in gazu.shot.all_shots_for_project(project)] == ["P01"]

    Shot.objects.get(pk=shot["id"]).entities_out.add(tree["id"])
    assert [a["id"] for a in gazu.asset.all_assets_for_shot(shot)] == [tree["id"]]

    shot["description"] = "Opening shot"
    shot["data"] = {"frame_in": 10, "frame_out": 58}
    updated = gazu.shot.update_shot(shot)
    assert updated["description"] == "Opening shot" and updated["data"]["frame_in"] == 10
    tree["description"] = "An oak"
    assert gazu.asset.update_asset(tree)["description"] == "An oak"

    gazu.shot.remove_shot(shot)
    assert not Shot.objects.filter(pk=shot["id"]).exists()
    gazu.asset.remove_asset(tree)
    assert gazu.asset.all_assets_for_project(project) == []


def test_tasks(gazu_admin):
    project = gazu.project.new_project("Caminandes")
    sequence = gazu.shot.new_sequence(project, "S01")
    shot = gazu.shot.new_shot(project, sequence, "P01")
    props = gazu.asset.new_asset_type("Props")
    asset = gazu.asset.new_asset(project, props, "Lamp")
    artist = gazu.person.new_person("Ema", "Peel", "ema@studio.test", role="user")

    task_type = _task_type("Animation")
    assert "Animation" in [t["name"] for t in gazu.task.all_task_types()]
    statuses = {s["short_name"] for s in gazu.task.all_task_statuses()}
    assert {"todo", "wip", "pndng", "done"} <= statuses

    task = gazu.task.new_task(shot, task_type, assignees=[artist])
    assert task["entity_id"] == shot["id"] and task["assignees"] == [artist["id"]]
    assert task["task_status_id"] == _status("todo")
    assert gazu.task.new_task(shot, task_type)["id"] == task["id"]
    assert gazu.task.get_task_by_entity(shot, task_type)["id"] == task["id"]
    full = gazu.task.get_task(task["id"])
    assert full["project"]["name"] == "Caminandes" and full["task_type"]["name"] == "Animation"
    assert full["entity"]["name"] == "P01" and [p["id"] for p in full["persons"]] == [artist["id"]]

    asset_task = gazu.task.new_task(asset, task_type)
    assert [t["id"] for t in gazu.task.all_tasks_for_shot(shot)] == [task["id"]]
    assert [t["id"] for t in gazu.task.all_tasks_for_asset(asset)] == [asset_task["id"]]
    with_names = gazu.task.all_tasks_for_shot(shot)[0]
    assert with_names["task_type_name"] == "Animation" and with_names["task_status_name"] == "Todo"

    started = gazu.task.start_task(task)
    assert started["task_status_id"] == _status("wip")
    assert Task.objects.get(pk=task["id"]).real_start_date is not None

    comment = gazu.task.add_comment(task, _status("pndng"), "Ready for review")
    assert comment["text"] == "Ready for review"
    assert Task.objects.get(pk=task["id"]).task_status.short_name == "pndng"
    comments = gazu.task.all_comments_for_task(task)
    assert [c["text"] for c in comments] == ["Ready for review", ""]  # newest first
    assert comments[0]["person"]["id"] == str(gazu_admin.id) and comments[0]["task_status"]["short_name"] == "pndng"
    assert Comment.objects.filter(object_id=task["id"]).count() == 2

    gazu.task.assign_task(asset_task, artist)
    assert list(Task.objects.get(pk=asset_task["id"]).assignees.values_list("email", flat=True)) == ["ema@studio.test"]
    cleared = gazu.task.clear_assignations([task, asset_task])
    assert sorted(cleared) == sorted([task["id"], asset_task["id"]])
    assert Task.objects.get(pk=task["id"]).assignees.count() == 0

    day = datetime.date(2017, 3, 20)
    gazu.task.set_time_spent(task, artist, day, 3600)
    gazu.task.add_time_spent(task, artist, day, 1800)
    assert TimeSpent.objects.get(task_id=task["id"], date=day).duration == 5400
    spent = gazu.task.get_time_spent(task, day)
    assert spent["total"] == 5400 and spent[artist["id"]]["duration"] == 5400
    gazu.task.set_time_spent(task, artist, day, 600)
    assert gazu.task.get_time_spent(task, day)["total"] == 600
    assert Task.objects.get(pk=task["id"]).duration == 600


def _task_type(name):
    from production.models import TaskType

    return {"id": str(TaskType.objects.create(name=name, for_shots=True).id)}


def _status(short_name):
    from production.models import TaskStatus

    return str(TaskStatus.objects.get(short_name=short_name).id)


def test_files_reference_data(gazu_admin):
    assert gazu.files.all_softwares() == []
    software = gazu.files.new_software("Blender", "bl", "blend")
    assert software["file_extension"] == "blend"
    assert gazu.files.new_software("Blender", "bl", "blend")["id"] == software["id"]
    assert [s["name"] for s in gazu.files.all_softwares()] == ["Blender"]
    output_type = gazu.files.new_output_type("Cache", "cch")
    assert gazu.files.new_output_type("Cache", "cch")["id"] == output_type["id"]
    assert [o["name"] for o in gazu.files.all_output_types()] == ["Cache"]
