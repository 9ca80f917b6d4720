"""gazu 1.3.1, unchanged, against a live server (issue 15 B): its task lists,
bulk task deletion and the artist's own view (`gazu.user`) return the rows
they name, narrowed to what the logged-in person sees."""

import datetime

import gazu
import pytest

from files.thumbnail_storage import thumbnail_name
from production.models import Comment, Shot, Task, TaskStatus, TimeSpent
from tests.factories import make_person, make_production

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def ids(rows):
    return sorted(row["id"] for row in rows)


def task_ids(*tasks):
    return sorted(str(task.id) for task in tasks)


@pytest.fixture
def prod(db):
    """The factories' production, plus a task on the sequence S01 and on the
    episode, and the asset Tree cast in P01 (so in episode E01)."""
    p = make_production()
    animation = p["task_types"][0]
    p["sequence_task"] = Task.objects.create(
        name="layout", project=p["project"], task_type=animation, task_status=p["todo"], entity=p["sequences"][0]
    )
    p["episode_task"] = Task.objects.create(
        name="edit", project=p["project"], task_type=animation, task_status=p["todo"], entity=p["episode"]
    )
    p["shots"][0].entities_out.add(p["assets"][0])
    return p


def test_task_lists_of_a_breakdown(gazu_as, prod):
    gazu_as("manager")
    project, episode, (s01, s02) = prod["project"], prod["episode"], prod["sequences"]
    shot_tasks, (tree_task, victor_task) = prod["tasks"][:3], prod["tasks"][3:]
    animation, shaders = prod["task_types"]
    every = [*prod["tasks"], prod["sequence_task"], prod["episode_task"]]

    assert ids(gazu.task.all_tasks_for_project(project.id)) == task_ids(*every)
    assert ids(gazu.task.all_tasks_for_project(project.id, task_type=str(shaders.id))) == task_ids(tree_task, victor_task)
    in_episode = gazu.task.all_tasks_for_project(project.id, episode=str(episode.id))
    assert ids(in_episode) == task_ids(*shot_tasks, tree_task, prod["sequence_task"], prod["episode_task"])

    sequence_tasks = gazu.task.all_tasks_for_sequence(str(s01.id))
    assert ids(sequence_tasks) == task_ids(prod["sequence_task"])
    assert sequence_tasks[0]["task_type_name"] == "Animation" and sequence_tasks[0]["entity_name"] == "S01"
    assert ids(gazu.task.all_tasks_for_episode(str(episode.id))) == task_ids(prod["episode_task"])
    s01_shots = gazu.task.all_shot_tasks_for_sequence(str(s01.id))
    assert ids(s01_shots) == task_ids(*shot_tasks[:2])
    assert {t["entity_name"] for t in s01_shots} == {"P01", "P02"} and {t["task_status_short_name"] for t in s01_shots} == {"todo"}
    assert ids(gazu.task.all_shot_tasks_for_episode(str(episode.id))) == task_ids(*shot_tasks)
    asset_tasks = gazu.task.all_assets_tasks_for_episode(str(episode.id))
    assert ids(asset_tasks) == task_ids(tree_task) and asset_tasks[0]["entity_name"] == "Tree"
    assert [t["name"] for t in gazu.task.all_task_types_for_sequence(str(s02.id))] == ["Animation"]
    assert [t["name"] for t in gazu.task.all_task_types_for_episode(str(episode.id))] == ["Animation", "Shaders"]
    assert [t["name"] for t in gazu.asset.all_asset_types_for_shot(str(prod["shots"][0].id))] == ["Props"]
    assert gazu.asset.all_asset_types_for_shot(str(prod["shots"][1].id)) == []
    tree = str(prod["assets"][0].id)
    assert ids(gazu.task.all_tasks_for_entity_and_task_type(tree, str(shaders.id))) == task_ids(tree_task)
    assert gazu.task.all_tasks_for_entity_and_task_type(tree, str(animation.id)) == []

    statuses = gazu.task.all_task_statuses_for_project(project.id)
    assert [s["short_name"] for s in statuses] == ["done", "pndng", "todo", "wip"]  # sorted by name by gazu
    assert [s["name"] for s in gazu.project.get_project_task_statuses(project.id)] == ["Done", "To review", "Todo", "WIP"]


def test_tasks_of_a_person_and_open_tasks(gazu_as, prod):
    gazu_as("supervisor").projects.add(prod["project"])
    artist = make_person("user", first_name="Ema", last_name="Peel")
    done = TaskStatus.objects.get(short_name="done")
    p01, p02, p03, tree = prod["tasks"][:4]
    for task in (p01, p02, tree):
        task.assignees.add(artist)
    Task.objects.filter(pk=p02.pk).update(task_status=done, duration=3600, estimation=7200)
    Task.objects.filter(pk=p01.pk).update(duration=600, estimation=1200)

    to_do = gazu.task.all_tasks_for_person(str(artist.id))
    assert ids(to_do) == task_ids(p01, tree)
    row = next(t for t in to_do if t["id"] == str(p01.id))
    assert (row["project_name"], row["entity_name"], row["sequence_name"], row["episode_name"]) == ("Cosmos Landromat", "P01", "S01", "E01")
    assert row["episode_id"] == str(prod["episode"].id) and row["assignees"] == [str(artist.id)]
    assert ids(gazu.task.all_done_tasks_for_person(str(artist.id))) == task_ids(p02)
    # Animation tasks on the entities where the artist has a task: P01 and P02, not P03.
    related = gazu.task.all_tasks_for_person_and_type(str(artist.id), str(prod["task_types"][0].id))
    assert ids(related) == task_ids(p01, p02)

    page = gazu.task.all_open_tasks()
    open_tasks = [t for t in prod["tasks"] + [prod["sequence_task"], prod["episode_task"]] if t.pk != p02.pk]
    assert ids(page["data"]) == task_ids(*open_tasks)
    assert page["stats"] == {"total": len(open_tasks), "total_duration": 600, "total_estimation": 1200}
    assert page["is_more"] is False and page["limit"] == 100
    # Zou's filters, through gazu's raw client as scripts send them.
    by_person = gazu.client.get("data/tasks/open-tasks", params={"person_id": str(artist.id)})
    assert ids(by_person["data"]) == task_ids(p01, tree)
    small = gazu.client.get("data/tasks/open-tasks", params={"limit": 2, "page": 2})
    assert len(small["data"]) == 2 and small["is_more"] is True and small["stats"]["total"] == len(open_tasks)


def test_project_comments(gazu_as, prod):
    gazu_as("client").projects.add(prod["project"])
    author = make_person("user")
    first = Comment.objects.create(object_id=prod["tasks"][0].id, text="first", person=author, task_status=prod["todo"])
    second = Comment.objects.create(object_id=prod["tasks"][3].id, text="second", person=author, task_status=prod["todo"])
    comments = gazu.task.all_comments_for_project(prod["project"].id)
    assert [c["id"] for c in comments] == [str(second.id), str(first.id)]  # newest first
    assert comments[0]["text"] == "second" and comments[0]["object_id"] == str(prod["tasks"][3].id)


def test_bulk_task_deletion(gazu_as, prod):
    gazu_as("manager")
    p01, p02 = prod["tasks"][:2]
    Comment.objects.create(object_id=p01.id, text="note", task_status=prod["todo"])
    TimeSpent.objects.create(task=p01, person=make_person("user"), date=datetime.date(2017, 1, 2), duration=60)
    deleted = gazu.task.remove_tasks_batch(prod["project"].id, [str(p01.id), {"id": str(p02.id)}])
    assert sorted(deleted) == task_ids(p01, p02)
    assert not Task.objects.filter(pk__in=[p01.pk, p02.pk]).exists()
    assert not Comment.objects.filter(object_id=p01.id).exists() and not TimeSpent.objects.exists()

    stranger = Task.objects.create(
        name="main", project=_other_project(), task_type=prod["task_types"][0], task_status=prod["todo"],
        entity=Shot.objects.create(name="Z01", project=_other_project()),
    )
    with pytest.raises(gazu.exception.ParameterException, match=str(stranger.id)):
        gazu.task.remove_tasks_batch(prod["project"].id, [str(prod["tasks"][2].id), str(stranger.id)])
    assert Task.objects.filter(pk__in=[prod["tasks"][2].pk, stranger.pk]).count() == 2  # all or nothing

    gazu.task.remove_tasks_for_type(prod["project"].id, str(prod["task_types"][1].id))
    assert not Task.objects.filter(project=prod["project"], task_type=prod["task_types"][1]).exists()
    assert Task.objects.filter(pk=prod["tasks"][2].pk).exists()


def _other_project():
    from production.models import Project

    return Project.objects.get_or_create(name="Elsewhere")[0]


def test_the_artists_own_view(gazu_as, prod, media_root):
    me = gazu_as("user", first_name="Art", last_name="Ist")
    prod["project"].team.add(me)
    done, pndng = TaskStatus.objects.get(short_name="done"), TaskStatus.objects.get(short_name="pndng")
    p01, p02, p03, tree, victor = prod["tasks"]
    for task in (p01, p03, tree, prod["sequence_task"]):
        task.assignees.add(me)
    Task.objects.filter(pk=p03.pk).update(task_status=done, end_date=datetime.date(2017, 3, 1))
    Task.objects.filter(pk=p02.pk).update(task_status=pndng)
    project, (s01, s02) = str(prod["project"].id), prod["sequences"]
    props = prod["asset_types"][0]

    assert [p["name"] for p in gazu.user.all_open_projects()] == ["Cosmos Landromat"]
    to_do = gazu.user.all_tasks_to_do()
    assert ids(to_do) == task_ids(p01, tree, prod["sequence_task"])
    assert {t["entity_name"] for t in to_do} == {"P01", "Tree", "S01"}
    assert ids(gazu.user.all_done_tasks()) == task_ids(p03)
    assert gazu.user.all_tasks_requiring_feedback() == []  # artists review nothing

    assert [t["name"] for t in gazu.user.all_asset_types_for_project(project)] == ["Props"]
    assert [a["name"] for a in gazu.user.all_assets_for_asset_type_and_project(project, str(props.id))] == ["Tree"]
    assert [e["name"] for e in gazu.user.all_episodes_for_project(project)] == ["E01"]
    assert [s["name"] for s in gazu.user.all_sequences_for_project(project)] == ["S01", "S02"]
    assert [s["name"] for s in gazu.user.all_shots_for_sequence(str(s01.id))] == ["P01"]
    assert ids(gazu.user.all_tasks_for_sequence(str(s01.id))) == task_ids(prod["sequence_task"])
    assert [t["name"] for t in gazu.user.all_task_types_for_sequence(str(s01.id))] == ["Animation"]
    assert gazu.user.all_tasks_for_shot(str(prod["shots"][1].id)) == []  # P02: not mine
    shot_tasks = gazu.user.all_tasks_for_shot(str(prod["shots"][0].id))
    assert ids(shot_tasks) == task_ids(p01) and shot_tasks[0]["task_type_name"] == "Animation"
    assert [t["name"] for t in gazu.user.all_task_types_for_shot(str(prod["shots"][0].id))] == ["Animation"]
    assert ids(gazu.user.all_tasks_for_asset(str(prod["assets"][0].id))) == task_ids(tree)
    assert [t["name"] for t in gazu.user.all_task_types_for_asset(str(prod["assets"][0].id))] == ["Shaders"]
    assert gazu.user.all_tasks_for_asset(str(prod["assets"][1].id)) == []

    day, later = datetime.date(2017, 3, 20), datetime.date(2017, 3, 27)
    gazu.task.set_time_spent(str(p01.id), str(me.id), day, 3600)
    gazu.task.set_time_spent(str(tree.id), str(me.id), later, 1800)
    TimeSpent.objects.create(task=p01, person=make_person("user"), date=day, duration=60)  # someone else's
    in_range = gazu.user.get_timespents_range("2017-03-01", "2017-03-21")
    assert [(t["task_id"], t["duration"]) for t in in_range] == [(str(p01.id), 3600)]
    assert len(gazu.user.get_timespents_range("2017-03-01", "2017-03-31")) == 2
    assert [t["duration"] for t in gazu.user.get_time_spents_by_date("2017-03-27")] == [1800]
    assert gazu.user.get_task_time_spent(str(p01.id), "2017-03-20")["duration"] == 3600
    assert gazu.user.get_task_time_spent(str(p01.id), "2017-03-21") is None  # none logged: Zou's null

    from files.thumbnail_storage import thumbnail_save
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.helpers import THUMBNAIL

    thumbnail_save(kind="persons", object_id=me.id, upload=SimpleUploadedFile("me.png", THUMBNAIL.read_bytes()))
    assert (media_root / thumbnail_name("persons", me.id)).exists()
    gazu.user.clear_avatar()
    assert not (media_root / thumbnail_name("persons", me.id)).exists()


def test_the_artists_view_holds_only_their_own_projects_and_tasks(gazu_as, prod):
    """Two artists on two teams: neither sees the other's project, tasks or time."""
    other_project = _other_project()
    other_shot = Shot.objects.create(name="Z01", project=other_project)
    theirs = Task.objects.create(name="main", project=other_project, task_type=prod["task_types"][0], task_status=prod["todo"], entity=other_shot)
    them = make_person("user")
    other_project.team.add(them)
    theirs.assignees.add(them)
    TimeSpent.objects.create(task=theirs, person=them, date=datetime.date(2017, 3, 20), duration=60)
    me = gazu_as("user")
    prod["project"].team.add(me)
    prod["tasks"][0].assignees.add(me)
    # A task of the other project assigned to me as well: off its team, I no longer see it.
    theirs.assignees.add(me)

    assert [p["name"] for p in gazu.user.all_open_projects()] == ["Cosmos Landromat"]
    assert ids(gazu.user.all_tasks_to_do()) == task_ids(prod["tasks"][0])
    assert gazu.user.get_time_spents_by_date("2017-03-20") == []
    for call in (
        lambda: gazu.user.all_sequences_for_project(str(other_project.id)),
        lambda: gazu.user.all_tasks_for_shot(str(other_shot.id)),
        lambda: gazu.task.all_tasks_for_project(str(other_project.id)),
    ):
        with pytest.raises(gazu.exception.RouteNotFoundException):
            call()
    assert gazu.task.all_tasks_for_person(str(them.id)) == []
    assert {t["project_id"] for t in gazu.task.all_open_tasks()["data"]} == {str(prod["project"].id)}
