"""gazu 1.3.1's batch comments, unchanged, against a live server (issue 15):
the three spellings post every comment as `actions/tasks/<id>/comment` posts
one (the task takes the status), all or nothing."""

import gazu
import pytest

from production.models import Comment, Task
from tests.factories import make_person
from tests.helpers import client_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def statuses(*tasks):
    return [Task.objects.get(pk=task.pk).task_status.short_name for task in tasks]


def test_batch_comments_in_gazus_three_spellings(gazu_as, production):
    me = gazu_as("supervisor")
    production["project"].team.add(me)
    p01, p02, p03, tree = production["tasks"][:4]
    wip = gazu.task.get_task_status_by_short_name("wip")
    done = gazu.task.get_task_status_by_short_name("done")

    posted = gazu.task.add_tasks_batch_comments([str(p01.id), str(p02.id)], {"task_status_id": wip["id"], "text": "Blocking done"})
    assert [(c["object_id"], c["text"], c["task_status_id"], c["person_id"]) for c in posted] == [
        (str(p01.id), "Blocking done", wip["id"], str(me.id)),
        (str(p02.id), "Blocking done", wip["id"], str(me.id)),
    ]
    assert statuses(p01, p02, p03) == ["wip", "wip", "todo"]

    on_task = gazu.task.batch_comments(
        [{"task_status_id": done["id"], "comment": "Approved"}, {"task_status_id": wip["id"], "comment": "Retake"}], task=str(p03.id)
    )
    assert [(c["object_id"], c["text"]) for c in on_task] == [(str(p03.id), "Approved"), (str(p03.id), "Retake")]
    assert statuses(p03) == ["wip"]  # the last comment's status

    many = gazu.task.create_multiple_comments(
        str(production["project"].id),
        [{"object_id": str(tree.id), "task_status_id": done["id"], "comment": "Leaves ok"},
         {"object_id": str(p01.id), "task_status_id": done["id"], "comment": "Final"}],
    )
    assert [(c["object_id"], c["text"]) for c in many] == [(str(tree.id), "Leaves ok"), (str(p01.id), "Final")]
    assert statuses(tree, p01) == ["done", "done"]
    assert Comment.objects.count() == 6
    assert [c["text"] for c in gazu.task.all_comments_for_task(str(p03.id))] == ["Retake", "Approved"]


def test_a_bad_comment_refuses_the_whole_batch(gazu_as, production):
    artist = gazu_as("user")
    production["project"].team.add(artist)
    mine, theirs = production["tasks"][:2]
    mine.assignees.add(artist)
    wip = gazu.task.get_task_status_by_short_name("wip")
    good = {"task_status_id": wip["id"], "comment": "ok", "object_id": str(mine.id)}
    with pytest.raises(gazu.exception.NotAllowedException):  # not assigned to the second task
        gazu.task.create_multiple_comments(str(production["project"].id), [good, {**good, "object_id": str(theirs.id)}])
    with pytest.raises(gazu.exception.ParameterException, match="Comment 1: 'task_status_id'"):
        gazu.task.create_multiple_comments(str(production["project"].id), [good, {"comment": "x", "object_id": str(mine.id)}])
    with pytest.raises(gazu.exception.ParameterException, match="Comment 0: no task"):
        gazu.task.batch_comments([{**good, "object_id": str(theirs.id)}], task=str(mine.id))  # another task than the URL's
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.task.batch_comments([{**good, "person_id": str(make_person("user").id)}], task=str(mine.id))
    assert not Comment.objects.exists() and statuses(mine) == ["todo"]


def test_batch_routes_hide_other_projects_and_check_bodies(production):
    from production.models import Project, ProjectStatus, Shot

    theirs = Project.objects.create(name="Theirs", project_status=ProjectStatus.objects.get(name="Open"))
    shot = Shot.objects.create(name="Z01", project=theirs)
    hidden = Task.objects.create(name="main", project=theirs, task_type=production["task_types"][0], task_status=production["todo"], entity=shot)
    person = make_person("supervisor")
    production["project"].team.add(person)
    client = client_for(person)
    body = {"comments": [{"task_status_id": str(production["todo"].id), "comment": "x", "object_id": str(hidden.id)}]}
    for url in (f"actions/tasks/{hidden.id}/batch-comment", f"actions/projects/{theirs.id}/tasks/comment-many"):
        response = client.post(f"/api/{url}", body, format="json")
        assert response.status_code == 404 and response.json()["message"], url
    refused = client.post("/api/actions/tasks/batch-comment", body, format="json")  # hidden task in the body
    assert refused.status_code == 400 and "no task" in refused.json()["message"]
    elsewhere = {"comments": [{**body["comments"][0], "object_id": str(production["tasks"][0].id)}]}
    response = client.post(f"/api/actions/projects/{theirs.id}/tasks/comment-many", elsewhere, format="json")
    assert response.status_code == 404  # the URL's project first
    other = make_production_task_elsewhere(production)
    response = client.post(f"/api/actions/projects/{production['project'].id}/tasks/comment-many",
                           {"comments": [{**body["comments"][0], "object_id": str(other.id)}]}, format="json")
    assert response.status_code == 400
    for bad in ({"comments": "nope"}, {"comments": [1]}, {}, [{"comment": "x"}]):
        response = client.post("/api/actions/tasks/batch-comment", bad, format="json")
        assert response.status_code == 400 and response.json()["message"], bad
    assert not Comment.objects.exists()


def make_production_task_elsewhere(production):
    """A task of a second project on the same team: seen, but not of the URL's project."""
    from production.models import Project, ProjectStatus, Shot

    second = Project.objects.create(name="Second", project_status=ProjectStatus.objects.get(name="Open"))
    second.team.add(*production["project"].team.all())
    shot = Shot.objects.create(name="Y01", project=second)
    return Task.objects.create(name="main", project=second, task_type=production["task_types"][0], task_status=production["todo"], entity=shot)


def test_moving_a_comment_to_another_task_of_its_entity(gazu_as, production):
    from production.models import TaskType

    artist = gazu_as("user")
    production["project"].team.add(artist)
    p01 = production["tasks"][0]
    layout = Task.objects.create(
        name="main", project=p01.project, entity=p01.entity, task_status=production["todo"],
        task_type=TaskType.objects.create(name="Layout", department=production["departments"][0]),
    )
    p01.assignees.add(artist)
    layout.assignees.add(artist)
    wip = gazu.task.get_task_status_by_short_name("wip")
    done = gazu.task.get_task_status_by_short_name("done")
    gazu.task.add_comment(str(p01.id), wip, "started")
    wrong = gazu.task.add_comment(str(p01.id), done, "meant for layout")
    assert statuses(p01, layout) == ["done", "todo"]

    moved = gazu.task.move_comment_to_task(str(p01.id), wrong, str(layout.id))
    assert (moved["id"], moved["object_id"], moved["text"], moved["created_at"]) == (
        wrong["id"], str(layout.id), "meant for layout", wrong["created_at"]
    )
    assert statuses(p01, layout) == ["wip", "done"]  # each task: its latest comment's status
    assert [c["text"] for c in gazu.task.all_comments_for_task(str(layout.id))] == ["meant for layout"]

    production["tasks"][1].assignees.add(artist)  # P02: the artist's too, but another shot
    with pytest.raises(gazu.exception.ParameterException, match="same entity"):
        gazu.task.move_comment_to_task(str(layout.id), moved, str(production["tasks"][1].id))
    with pytest.raises(gazu.exception.RouteNotFoundException):  # not a comment of that task
        gazu.task.move_comment_to_task(str(p01.id), moved, str(layout.id))
    someone_else = Comment.objects.create(object_id=layout.id, text="theirs", person=make_person("user"), task_status=production["todo"])
    with pytest.raises(gazu.exception.NotAllowedException):  # an artist moves only their own comments
        gazu.task.move_comment_to_task(str(layout.id), str(someone_else.id), str(p01.id))
    assert Comment.objects.get(pk=someone_else.pk).object_id == layout.id
