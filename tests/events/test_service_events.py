"""The task actions (start, assign, comment, time, bulk creation) emit the
events gazu listeners wait for, with Zou's payload keys."""

from production.models import Comment, Task, TaskStatus, TimeSpent
from tests.events.conftest import stored
from tests.factories import make_person


def names():
    return [name for name, _ in stored()]


def test_start_changes_the_status_as_an_update_and_a_status_change(api_client, admin_person, production):
    task, todo = production["tasks"][0], production["todo"]
    wip = TaskStatus.objects.get(short_name="wip")
    assert api_client.put(f"/api/actions/tasks/{task.id}/start").status_code == 200
    (update_name, update), (status_name, status) = stored()
    assert (update_name, status_name) == ("task:update", "task:status-changed")
    assert update["changes"]["task_status_id"] == {"old": str(todo.id), "new": str(wip.id)}
    assert update["changes"]["real_start_date"]["old"] is None
    assert status == {
        "task_id": str(task.id),
        "project_id": str(task.project_id),
        "previous_task_status_id": str(todo.id),
        "new_task_status_id": str(wip.id),
        "person_id": str(admin_person.id),
    }


def test_a_comment_with_a_status_is_comment_new_then_the_task_events(api_client, admin_person, production):
    task = production["tasks"][0]
    done = TaskStatus.objects.get(short_name="done")
    response = api_client.post(f"/api/actions/tasks/{task.id}/comment", {"task_status_id": str(done.id), "comment": "ok"}, format="json")
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert names() == ["comment:new", "task:update", "task:status-changed"]
    assert stored(name="comment:new")[0][1] == {
        "comment_id": str(comment.id),
        "task_id": str(task.id),
        "task_status_id": str(done.id),
        "person_id": str(admin_person.id),
        "project_id": str(task.project_id),
    }


def test_assign_and_clear_record_the_assignees_old_and_new(api_client, production):
    task, other = production["tasks"][0], production["tasks"][1]
    artist = make_person("user")
    assert api_client.put(f"/api/data/tasks/{task.id}/assign", {"person_id": str(artist.id)}, format="json").status_code == 200
    # Again: nothing changes, nothing is recorded.
    assert api_client.put(f"/api/data/tasks/{task.id}/assign", {"person_id": str(artist.id)}, format="json").status_code == 200
    body = {"task_ids": [str(task.id), str(other.id)]}
    assert api_client.put("/api/actions/tasks/clear-assignation", body, format="json").status_code == 200
    assert stored() == [
        ("task:update", {"task_id": str(task.id), "project_id": str(task.project_id), "changes": {"assignees": {"old": [], "new": [str(artist.id)]}}}),
        ("task:assign", {"task_id": str(task.id), "project_id": str(task.project_id), "person_id": str(artist.id)}),
        ("task:update", {"task_id": str(task.id), "project_id": str(task.project_id), "changes": {"assignees": {"old": [str(artist.id)], "new": []}}}),
        ("task:unassign", {"task_id": str(task.id), "project_id": str(task.project_id), "person_id": str(artist.id)}),
    ]


def test_time_spent_is_new_then_updated_and_the_task_total_follows(api_client, production):
    task, artist = production["tasks"][0], make_person("user")
    url = f"/api/actions/tasks/{task.id}/time-spents/2017-03-20/persons/{artist.id}"
    assert api_client.post(url, {"duration": 3600}, format="json").status_code == 201
    assert api_client.post(url + "/add", {"duration": 600}, format="json").status_code == 201
    time_spent = TimeSpent.objects.get()
    assert names() == ["time-spent:new", "task:update", "time-spent:update", "task:update"]
    update = stored(name="time-spent:update")[0][1]
    assert update["time_spent_id"] == str(time_spent.id) and update["changes"] == {"duration": {"old": 3600, "new": 4200}}
    assert stored(name="task:update")[1][1]["changes"] == {"duration": {"old": 3600, "new": 4200}}


def test_create_tasks_emits_task_new_for_the_created_only(api_client, production):
    project, animation = production["project"], production["task_types"][0]
    url = f"/api/actions/projects/{project.id}/task-types/{animation.id}/shots/create-tasks"
    assert api_client.post(url, {}, format="json").status_code == 201  # the shots have theirs already
    assert names() == []
    Task.objects.filter(entity=production["shots"][0]).delete()
    assert api_client.post(url, {}, format="json").status_code == 201
    [(name, data)] = stored()
    assert name == "task:new" and data["task_id"] == str(Task.objects.get(entity=production["shots"][0]).id)
