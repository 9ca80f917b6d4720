"""Issue 13 finding 5: no row links two projects, whatever the door (REST,
the admin, the database itself), and shot frame ranges are in order. Each
refusal names the field and changes nothing."""

import pytest
from django.db import IntegrityError, transaction

from production.models import Entity, Project, ProjectStatus, Sequence, Shot, Task
from tests.factories import make_person
from tests.helpers import browser_for, row_counts


@pytest.fixture
def other(production):
    """Project B beside the fixture's project A, with a sequence and a shot."""
    theirs = Project.objects.create(name="Theirs", project_status=ProjectStatus.objects.get(name="Open"))
    sequence = Sequence.objects.create(name="SB1", project=theirs)
    shot = Shot.objects.create(name="PB1", project=theirs, parent=sequence)
    return {"project": theirs, "sequence": sequence, "shot": shot}


def test_a_shot_under_another_projects_sequence_is_400_naming_sequence_id(api_client, production, other):
    before = row_counts()
    response = api_client.post(
        f"/api/data/projects/{production['project'].id}/shots",
        {"name": "P99", "sequence_id": str(other["sequence"].id)}, format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "sequence_id": ["The parent belongs to another project: an entity is in its parent's project."]
    }
    assert row_counts() == before


def test_a_task_on_another_projects_shot_is_400_naming_entity_id(api_client, production, other):
    before = row_counts()
    body = {
        "project_id": str(production["project"].id), "entity_id": str(other["shot"].id),
        "task_type_id": str(production["task_types"][0].id),
    }
    response = api_client.post("/api/data/tasks", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "entity_id": ["This entity belongs to another project than the task: a task is in its entity's project."]
    }
    assert row_counts() == before


def test_moving_a_task_or_a_shot_across_projects_is_400(api_client, production, other):
    task, shot = production["tasks"][0], production["shots"][0]
    moved = api_client.put(f"/api/data/tasks/{task.id}", {"project_id": str(other["project"].id)}, format="json")
    assert moved.status_code == 400 and list(moved.json()["errors"]) == ["entity_id"]
    moved = api_client.put(f"/api/data/entities/{shot.id}", {"project_id": str(other["project"].id)}, format="json")
    assert moved.status_code == 400 and set(moved.json()["errors"]) == {"parent_id", "project_id"}
    assert Task.objects.get(pk=task.pk).project == production["project"]
    assert Shot.objects.get(pk=shot.pk).project == production["project"]


def test_a_shots_parent_is_a_sequence(api_client, production):
    response = api_client.post(
        "/api/data/shots",
        {"name": "P98", "project_id": str(production["project"].id), "parent_id": str(production["episode"].id)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent_id": ["A shot's parent must be a sequence."]}


@pytest.mark.parametrize(
    "write",
    [
        lambda p, o: Task.objects.filter(pk=p["tasks"][0].pk).update(project=o["project"]),
        lambda p, o: Entity.objects.filter(pk=p["shots"][0].pk).update(parent=o["sequence"]),
        lambda p, o: Entity.objects.filter(pk=p["shots"][0].pk).update(project=o["project"]),
        lambda p, o: Task.objects.bulk_create(
            [Task(project=p["project"], entity=o["shot"], task_type=p["task_types"][0], task_status=p["todo"])]
        ),
    ],
    ids=["task-to-other-project", "shot-under-other-sequence", "shot-away-from-its-tasks", "bulk-task"],
)
def test_the_database_refuses_cross_project_links(production, other, write):
    """The doors that skip full_clean() (bulk writes, raw updates) meet the database's rule."""
    before = row_counts()
    with pytest.raises(IntegrityError), transaction.atomic():
        write(production, other)
    assert row_counts() == before
    assert Task.objects.get(pk=production["tasks"][0].pk).project == production["project"]


def test_the_admin_refuses_a_shot_under_another_projects_sequence(production, other):
    shot = production["shots"][0]
    browser = browser_for(make_person("manager"))
    page = browser.get(f"/admin/production/shot/{shot.id}/change/")
    offered = {str(choice.pk) for choice in page.context["adminform"].form.fields["parent"].queryset}
    assert offered == {str(s.id) for s in production["sequences"]}  # its project's sequences only
    response = browser.post(
        f"/admin/production/shot/{shot.id}/change/",
        {"project": str(production["project"].id), "parent": str(other["sequence"].id), "name": shot.name,
         "description": "", "frame_in": "", "frame_out": "", "nb_frames": "", "data": "null", "shotgun_id": "",
         "tasks-TOTAL_FORMS": "0", "tasks-INITIAL_FORMS": "0",
         "casting_links-TOTAL_FORMS": "0", "casting_links-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["parent"]
    assert Shot.objects.get(pk=shot.pk).parent == production["sequences"][0]


def test_the_admin_refuses_a_task_on_another_projects_shot(production, other):
    browser = browser_for(make_person("manager"))
    before = row_counts()
    response = browser.post(
        "/admin/production/task/add/",
        {"name": "main", "project": str(production["project"].id), "entity": str(other["shot"].id),
         "task_type": str(production["task_types"][0].id), "task_status": str(production["todo"].id),
         "duration": "0", "estimation": "0", "completion_rate": "0", "sort_order": "0"},
    )
    assert response.status_code == 200
    assert "another project" in str(response.context["adminform"].form.errors)
    assert row_counts() == before


# --- frame ranges --------------------------------------------------------------------------------


def test_a_frame_range_out_of_order_is_400_naming_data(api_client, production):
    shot = production["shots"][0]
    response = api_client.put(f"/api/data/shots/{shot.id}", {"data": {"frame_in": 48, "frame_out": 1}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"data": ["frame_out (1) comes before frame_in (48)."]}
    assert Shot.objects.get(pk=shot.pk).data == shot.data


def test_nb_frames_counts_both_ends_when_not_given(api_client, production):
    response = api_client.post(
        f"/api/data/projects/{production['project'].id}/shots",
        {"name": "P50", "sequence_id": str(production["sequences"][0].id), "data": {"frame_in": 1001, "frame_out": 1048}},
        format="json",
    )
    assert response.status_code == 201 and response.json()["nb_frames"] == 48
