"""A new task given no status takes the same one through every door (issue 12,
item 6): the oldest status marked default, else Zou's Todo, recreated when
someone deleted it (production.services.task_status_default)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from production.models import Shot, Task, TaskStatus
from tests.factories import make_production
from tests.helpers import client_for


def statuses_of_new_tasks(admin_person, production):
    """The status each door gives a new task created without one."""
    project, shots, animation = production["project"], production["shots"], production["task_types"][0]
    Shot.objects.filter(pk=shots[0].pk).update(shotgun_id=9100)
    Task.objects.all().delete()
    api = client_for(admin_person)
    response = api.post(
        "/api/data/tasks", {"project_id": str(project.id), "entity_id": str(shots[0].id), "task_type_id": str(animation.id), "name": "api"},
        format="json",
    )
    assert response.status_code == 201, response.content
    sheet = f"Project,Episode,Sequence,Shot,Task Type,Name\n{project.name},E01,S01,{shots[1].name},Animation,csv\n"
    response = api.post("/api/data/import/csv/tasks", {"file": SimpleUploadedFile("tasks.csv", sheet.encode())}, format="multipart")
    assert response.status_code == 200, response.content
    Shot.objects.filter(pk=shots[0].pk).update(shotgun_id=9100)
    animation.shotgun_id = 9200
    animation.save()
    record = {"type": "Task", "id": 9300, "content": "shotgun", "step": {"type": "Step", "id": 9200}, "entity": {"type": "Shot", "id": 9100}}
    response = api.post("/api/data/import/shotgun/tasks", json.dumps([record]), content_type="application/json")
    assert response.json()["created"] == 1, response.content
    admin = Client()
    admin.force_login(admin_person)
    # The admin: a task row added on a shot's page (the inline's empty form).
    page = admin.get(reverse("admin:production_shot_change", args=[shots[2].pk]))
    [tasks_inline] = [inline for inline in page.context["inline_admin_formsets"] if inline.formset.model is Task]
    initial = TaskStatus.objects.get(pk=tasks_inline.formset.empty_form["task_status"].value())
    return {task.name: task.task_status.short_name for task in Task.objects.select_related("task_status")} | {"admin": initial.short_name}


@pytest.mark.django_db
def test_every_door_gives_the_oldest_default_status(admin_person):
    production = make_production()
    TaskStatus.objects.filter(is_default=True).update(is_default=False)
    TaskStatus.objects.filter(short_name="wip").update(is_default=True)
    # A newer default does not take over: the oldest one is the studio's.
    TaskStatus.objects.create(name="Later default", short_name="later", is_default=True)
    assert statuses_of_new_tasks(admin_person, production) == {"api": "wip", "csv": "wip", "shotgun": "wip", "admin": "wip"}


@pytest.mark.django_db
def test_without_a_default_every_door_falls_back_to_todo(admin_person):
    production = make_production()
    TaskStatus.objects.filter(is_default=True).update(is_default=False)
    assert statuses_of_new_tasks(admin_person, production) == {"api": "todo", "csv": "todo", "shotgun": "todo", "admin": "todo"}
