"""The admin's writes, through its forms as a coordinator posts them, store
their events with the coordinator as author; what services write (a task's
status as a comment) is recorded once."""

from django.urls import reverse

from production.models import ApiEvent, Department, Shot, TaskStatus
from tests.events.conftest import stored
from tests.helpers import shot_page_with_task_status


def test_a_shot_page_changing_the_frame_range_and_a_task_status(admin_browser, admin_person, production):
    shot, task = production["shots"][0], production["tasks"][0]
    wip, todo = TaskStatus.objects.get(short_name="wip"), production["todo"]
    data = shot_page_with_task_status(shot, task, wip)
    data.update(frame_out=150, data='{"frame_in": 100, "frame_out": 150}')
    response = admin_browser.post(reverse("admin:production_shot_change", args=[shot.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [name for name, _ in stored()] == ["comment:new", "task:update", "task:status-changed", "shot:update"]
    task_update = stored(name="task:update")[0][1]
    assert task_update["changes"]["task_status_id"] == {"old": str(todo.id), "new": str(wip.id)}
    assert stored(name="shot:update")[0][1]["changes"]["data.frame_out"] == {"old": 199, "new": 150}
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.id}


def test_add_and_delete_through_the_admin(admin_browser, production):
    response = admin_browser.post(reverse("admin:production_department_add"), {"name": "Lighting", "color": "#999999"})
    assert response.status_code == 302
    lighting = Department.objects.get(name="Lighting")
    url = reverse("admin:production_department_delete", args=[lighting.pk])
    assert admin_browser.post(url, {"post": "yes"}).status_code == 302
    assert stored() == [
        ("department:new", {"department_id": str(lighting.pk)}),
        ("department:delete", {"department_id": str(lighting.pk)}),
    ]


def test_a_bulk_deletion_records_each_row(admin_browser, production):
    project = production["project"]
    shots = [Shot.objects.create(name=f"X{i}", project=project, parent=production["sequences"][0]) for i in range(4)]
    data = {"action": "delete_selected", "post": "yes", "_selected_action": [s.pk for s in shots]}
    response = admin_browser.post(reverse("admin:production_shot_changelist"), data)
    assert response.status_code == 302
    assert sorted(data["shot_id"] for _, data in stored()) == sorted(str(s.pk) for s in shots)
    assert {name for name, _ in stored()} == {"shot:delete"}


def test_bulk_cancel_records_each_entity(admin_browser, production):
    shots = production["shots"][:2]
    data = {"action": "cancel", "_selected_action": [s.pk for s in shots]}
    assert admin_browser.post(reverse("admin:production_shot_changelist"), data).status_code == 302
    assert sorted(stored(), key=lambda e: e[1]["shot_id"]) == sorted(
        (
            ("shot:update", {"shot_id": str(s.pk), "project_id": str(s.project_id), "changes": {"canceled": {"old": False, "new": True}}})
            for s in shots
        ),
        key=lambda e: e[1]["shot_id"],
    )


def test_the_history_page_shows_changes_from_every_door(admin_browser, api_client, production):
    shot = production["shots"][0]
    assert api_client.put(f"/api/data/shots/{shot.id}", {"description": "Retimed in the API"}, format="json").status_code == 200
    page = admin_browser.get(reverse("admin:production_shot_history", args=[shot.pk])).content.decode()
    assert 'id="event-history"' in page and "Retimed in the API" in page and "Ada Admin" in page


def test_the_event_screen_lists_and_filters_for_managers(admin_browser, api_client, production):
    shot = production["shots"][0]
    api_client.put(f"/api/data/shots/{shot.id}", {"description": "wide"}, format="json")
    url = reverse("admin:production_apievent_changelist")
    shown = admin_browser.get(url, {"name": "shot:update"}).context["cl"].result_list
    assert [(e.name, e.object_id) for e in shown] == [("shot:update", shot.pk)]
    assert list(admin_browser.get(url, {"name": "task:update"}).context["cl"].result_list) == []
    assert admin_browser.get(reverse("admin:production_apievent_add")).status_code == 403
