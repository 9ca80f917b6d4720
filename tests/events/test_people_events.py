"""Issue 15's writes on teams, departments and comments store their events
like every data route's (issue 19's contract)."""

from production.models import Comment, Task, TaskStatus, TaskType
from tests.events.conftest import stored
from tests.factories import make_person


def test_team_and_department_changes_are_update_events(api_client, production):
    project, ana = production["project"], make_person("user")
    department = production["departments"][0]
    assert api_client.post(f"/api/data/projects/{project.id}/team", {"person_id": str(ana.id)}, format="json").status_code == 201
    assert api_client.delete(f"/api/data/projects/{project.id}/team/{ana.id}").status_code == 204
    assert api_client.post(f"/api/actions/persons/{ana.id}/departments/add", {"department_id": str(department.id)}, format="json").status_code == 201
    assert stored() == [
        ("project:update", {"project_id": str(project.id), "changes": {"team": {"old": [], "new": [str(ana.id)]}}}),
        ("project:update", {"project_id": str(project.id), "changes": {"team": {"old": [str(ana.id)], "new": []}}}),
        ("person:update", {"person_id": str(ana.id), "changes": {"skills": {"old": [], "new": [str(department.id)]}}}),
    ]


def test_a_moved_comment_and_the_statuses_it_changes(api_client, production):
    p01 = production["tasks"][0]
    layout = Task.objects.create(
        name="main", project=p01.project, entity=p01.entity, task_status=production["todo"],
        task_type=TaskType.objects.create(name="Layout", department=production["departments"][0]),
    )
    done = TaskStatus.objects.get(short_name="done")
    comment = Comment.objects.create(object_id=p01.id, text="meant for layout", task_status=done, person=make_person("user"))
    Task.objects.filter(pk=p01.pk).update(task_status=done)
    response = api_client.post(f"/api/actions/tasks/{p01.id}/comments/{comment.id}/move", {"target_task_id": str(layout.id)}, format="json")
    assert response.status_code == 200, response.json()
    names = [name for name, _ in stored()]
    assert names == ["comment:update", "task:update", "task:status-changed", "task:update", "task:status-changed"]
    moved = stored()[0][1]
    assert moved["changes"] == {"object_id": {"old": str(p01.id), "new": str(layout.id)}}
    changed = [data for name, data in stored() if name == "task:status-changed"]
    assert [(d["task_id"], d["new_task_status_id"]) for d in changed] == [
        (str(p01.id), str(production["todo"].id)), (str(layout.id), str(done.id))
    ]
