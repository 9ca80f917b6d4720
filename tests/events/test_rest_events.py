"""Every write of a data route stores its event in the transaction of the
write, with who made it, and the sinks get it after the commit only."""

import pytest

from production.models import ApiEvent, Shot, Task, TaskStatus
from tests.events.conftest import stored


def test_a_created_shot_is_stored_as_shot_new_by_its_author_and_reaches_the_sinks_after_commit(
    api_client, admin_person, production, sink, django_capture_on_commit_callbacks
):
    project, sequence = production["project"], production["sequences"][0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.post(
            f"/api/data/projects/{project.id}/shots", {"name": "P10", "parent_id": str(sequence.id)}, format="json"
        )
        assert response.status_code == 201, response.json()
    shot_id = response.json()["id"]
    assert stored() == [("shot:new", {"shot_id": shot_id, "project_id": str(project.id)})]
    event = ApiEvent.objects.get()
    assert (event.person_id, event.project_id, str(event.object_id)) == (admin_person.id, project.id, shot_id)
    assert sink == []  # not before the commit
    for callback in callbacks:
        callback()
    assert sink == [[("shot:new", {"shot_id": shot_id, "project_id": str(project.id)})]]


def test_an_update_carries_the_changed_fields_old_and_new(api_client, production, sink, django_capture_on_commit_callbacks):
    shot = production["shots"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.put(
            f"/api/data/shots/{shot.id}", {"data": {"frame_in": 100, "frame_out": 150}, "description": "wider"}, format="json"
        )
    assert response.status_code == 200, response.json()
    [(name, data)] = stored()
    assert name == "shot:update"
    assert data["shot_id"] == str(shot.id)
    assert data["changes"] == {
        "data.frame_out": {"old": 199, "new": 150},
        "description": {"old": "", "new": "wider"},
        "nb_frames": {"old": None, "new": 51},  # the factory saved no count
    }
    assert sink == [[("shot:update", data)]]


def test_an_update_that_changes_nothing_stores_no_event(api_client, production):
    task = production["tasks"][0]
    assert api_client.put(f"/api/data/tasks/{task.id}", {"name": task.name}, format="json").status_code == 200
    assert stored() == []


def test_a_task_status_and_assignees_through_put_emit_the_events_gazu_listeners_wait_for(
    api_client, admin_person, production, make_artist
):
    task, todo = production["tasks"][0], production["todo"]
    wip = TaskStatus.objects.get(short_name="wip")
    artist = make_artist()
    response = api_client.put(
        f"/api/data/tasks/{task.id}", {"task_status_id": str(wip.id), "assignees": [str(artist.id)]}, format="json"
    )
    assert response.status_code == 200, response.json()
    project_id = str(task.project_id)
    assert stored() == [
        (
            "task:update",
            {
                "task_id": str(task.id),
                "project_id": project_id,
                "changes": {
                    "task_status_id": {"old": str(todo.id), "new": str(wip.id)},
                    "assignees": {"old": [], "new": [str(artist.id)]},
                },
            },
        ),
        (
            "task:status-changed",
            {
                "task_id": str(task.id),
                "project_id": project_id,
                "previous_task_status_id": str(todo.id),
                "new_task_status_id": str(wip.id),
                "person_id": str(admin_person.id),
            },
        ),
        ("task:assign", {"task_id": str(task.id), "project_id": project_id, "person_id": str(artist.id)}),
    ]


def test_a_deletion_is_stored_with_the_id_of_the_row_gone(api_client, production):
    department = production["departments"][0]
    response = api_client.post("/api/data/departments", {"name": "Lighting"}, format="json")
    department_id = response.json()["id"]
    assert api_client.delete(f"/api/data/departments/{department_id}").status_code == 204
    assert [name for name, _ in stored()] == ["department:new", "department:delete"]
    assert stored(name="department:delete")[0][1] == {"department_id": department_id}
    assert department.pk  # the other one untouched


def test_a_refused_write_stores_no_event(api_client, production):
    project = production["project"]
    response = api_client.post(f"/api/data/projects/{project.id}/shots", {"name": ""}, format="json")
    assert response.status_code == 400
    assert Shot.objects.filter(name="").count() == 0
    assert stored() == []


def test_a_raising_sink_is_logged_and_fails_nothing(api_client, production, sink, caplog, django_capture_on_commit_callbacks):
    task = production["tasks"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.put(f"/api/data/tasks/{task.id}", {"estimation": 3600}, format="json")
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).estimation == 3600
    assert "Event sink tests.events.conftest.explode failed" in caplog.text
    assert [[name for name, _ in batch] for batch in sink] == [["task:update"]]


def test_with_events_disabled_nothing_is_stored(api_client, production, settings):
    settings.EVENTS_ENABLED = False
    task = production["tasks"][0]
    assert api_client.put(f"/api/data/tasks/{task.id}", {"estimation": 3600}, format="json").status_code == 200
    assert stored() == []


@pytest.fixture
def make_artist(db):
    from tests.factories import make_person

    return lambda: make_person("user")


def test_deletions_through_the_services_store_the_row_and_its_tasks(api_client, production):
    shot, asset_task = production["shots"][0], production["tasks"][3]
    shot_task = Task.objects.get(entity=shot)
    assert api_client.delete(f"/api/data/tasks/{asset_task.id}").status_code == 204
    assert api_client.delete(f"/api/data/shots/{shot.id}?force=true").status_code == 204
    project_id = str(shot.project_id)
    assert stored() == [
        ("task:delete", {"task_id": str(asset_task.id), "project_id": project_id}),
        ("shot:delete", {"shot_id": str(shot.id), "project_id": project_id}),
        ("task:delete", {"task_id": str(shot_task.id), "project_id": project_id}),
    ]
