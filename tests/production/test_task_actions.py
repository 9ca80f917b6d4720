"""Task workflow bodies and rules through HTTP: what each body requires, who
may act on a task (one rule for task actions and file work), comment dates
set by the server, and a day's 24 hours. A refusal changes nothing."""

import datetime

import pytest
from django.utils import timezone

from files.models import WorkingFile
from production.models import Comment, Task, TaskStatus, TimeSpent
from tests.factories import make_person
from tests.helpers import client_for


def comment_url(task):
    return f"/api/actions/tasks/{task.id}/comment"


def time_url(task, person, day="2017-03-20", add=False):
    return f"/api/actions/tasks/{task.id}/time-spents/{day}/persons/{person.id}" + ("/add" if add else "")


def snapshot(task):
    """What a refused action must leave as it was."""
    task = Task.objects.get(pk=task.pk)
    return (
        task.task_status_id, task.duration, task.updated_at,
        list(Comment.objects.filter(object_id=task.id).values_list("id", flat=True)),
        list(TimeSpent.objects.values_list("id", "duration")),
    )


def test_comment_without_a_status_is_400_naming_task_status_id(api_client, production):
    """The schema says task_status_id is required; the server says so too."""
    task = production["tasks"][0]
    before = snapshot(task)
    response = api_client.post(comment_url(task), {"comment": "no status"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"task_status_id": ["This field is required."]}
    assert body["message"] == "task_status_id: This field is required."
    assert snapshot(task) == before


def test_comment_takes_the_status_and_the_text(api_client, production):
    task = production["tasks"][0]
    wip = TaskStatus.objects.get(short_name="wip")
    response = api_client.post(comment_url(task), {"task_status_id": str(wip.id), "comment": "on it"}, format="json")
    assert response.status_code == 201
    assert response.json()["text"] == "on it" and response.json()["task_status"]["short_name"] == "wip"
    assert Task.objects.get(pk=task.pk).task_status == wip


@pytest.mark.parametrize("duration", [90.5, "90.5", 1e3 + 0.25])
def test_a_fractional_duration_is_400_not_truncated(api_client, production, duration):
    task = production["tasks"][0]
    person = make_person("user")
    before = snapshot(task)
    response = api_client.post(time_url(task, person), {"duration": duration}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"duration": ["A valid integer is required."]}
    assert snapshot(task) == before


def test_assign_names_an_unknown_person(api_client, production):
    task = production["tasks"][0]
    response = api_client.put(f"/api/data/tasks/{task.id}/assign", {}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"person_id": ["This field is required."]}
    assert not task.assignees.exists()


def test_task_ids_are_read_as_json_only(api_client, production):
    """A form's single value is not a list of one."""
    person = make_person("user")
    task = production["tasks"][0]
    response = api_client.put(f"/api/actions/persons/{person.id}/assign", {"task_ids": str(task.id)}, format="multipart")
    assert response.status_code == 400 and "task_ids" in response.json()["errors"]
    assert not task.assignees.exists()


# --- one rule for acting on a task: task actions and file work alike ---------------------------

# role -> (may act on a task assigned to them, may act on another task of their project)
ACTING = {
    "admin": (True, True),
    "manager": (True, True),
    "supervisor": (True, True),
    "user": (True, False),
    "client": (False, False),
}


@pytest.mark.parametrize("role", list(ACTING))
def test_who_may_act_on_a_task_is_one_rule_for_task_actions_and_files(role, production):
    person = make_person(role)
    production["project"].team.add(person)
    client = client_for(person)
    own, other = production["tasks"][3], production["tasks"][4]
    own.assignees.add(person)
    wip = str(TaskStatus.objects.get(short_name="wip").id)
    for task, allowed in zip((own, other), ACTING[role]):
        expected = 201 if allowed else 403
        answers = {
            "start": client.put(f"/api/actions/tasks/{task.id}/start").status_code,
            "comment": client.post(comment_url(task), {"task_status_id": wip}, format="json").status_code,
            "time": client.post(time_url(task, person), {"duration": 60}, format="json").status_code,
            "working file": client.post(
                f"/api/data/tasks/{task.id}/working-files/new", {"name": "main"}, format="json"
            ).status_code,
        }
        assert answers == {"start": 200 if allowed else 403, "comment": expected, "time": expected, "working file": expected}
        written = (
            Comment.objects.filter(object_id=task.id).exists(),
            TimeSpent.objects.filter(task=task).exists(),
            WorkingFile.objects.filter(task=task).exists(),
        )
        assert written == (allowed, allowed, allowed)


def test_a_supervisor_acts_only_on_tasks_of_their_projects(production):
    """Another project's task is not even seen: 404, nothing written."""
    from production.models import Project, Shot

    supervisor = make_person("supervisor")
    production["project"].team.add(supervisor)
    elsewhere = Project.objects.create(name="Elsewhere")
    shot = Shot.objects.create(name="X01", project=elsewhere)
    task = Task.objects.create(
        project=elsewhere, entity=shot, task_type=production["task_types"][0], task_status=production["todo"]
    )
    client = client_for(supervisor)
    assert client.put(f"/api/actions/tasks/{task.id}/start").status_code == 404
    assert client.post(f"/api/data/tasks/{task.id}/working-files/new", {}, format="json").status_code == 404
    assert Task.objects.get(pk=task.pk).task_status == production["todo"]


# --- comment dates ------------------------------------------------------------------------------


def assigned_artist(production):
    """A user on the team, assigned to the first task: their client and that task."""
    artist = make_person("user")
    production["project"].team.add(artist)
    task = production["tasks"][0]
    task.assignees.add(artist)
    return client_for(artist), task


def test_a_user_cannot_backdate_a_comment(production):
    """Issue 13 finding 14: the status history keeps the order things happened in."""
    client, task = assigned_artist(production)
    todo = str(production["todo"].id)
    before = snapshot(task)
    refused = client.post(comment_url(task), {"task_status_id": todo, "created_at": "2001-01-01T00:00:00Z"}, format="json")
    assert refused.status_code == 403 and "created_at" in refused.json()["message"]
    assert snapshot(task) == before

    start = timezone.now()
    dated = client.post(comment_url(task), {"task_status_id": todo, "comment": "now"}, format="json")
    assert dated.status_code == 201
    created_at = Comment.objects.get(pk=dated.json()["id"]).created_at
    assert start <= created_at <= timezone.now()


def test_a_manager_importing_a_history_dates_comments(production):
    task = production["tasks"][0]
    response = client_for(make_person("manager")).post(
        comment_url(task), {"task_status_id": str(production["todo"].id), "created_at": "2017-03-20T10:00:00Z"}, format="json"
    )
    assert response.status_code == 201 and response.json()["created_at"].startswith("2017-03-20T10:00:00")
    assert Comment.objects.get(pk=response.json()["id"]).created_at == datetime.datetime(2017, 3, 20, 10, tzinfo=datetime.timezone.utc)


def test_only_managers_comment_in_someone_elses_name(production):
    client, task = assigned_artist(production)
    before = snapshot(task)
    other = make_person("user")
    response = client.post(
        comment_url(task), {"task_status_id": str(production["todo"].id), "person_id": str(other.id)}, format="json"
    )
    assert response.status_code == 403 and "person_id" in response.json()["message"]
    assert snapshot(task) == before


# --- a day holds 24 hours -----------------------------------------------------------------------

HOUR = 3600


def test_a_persons_day_is_capped_at_24_hours_across_tasks(api_client, production):
    """Issue 13 finding 14: 20 h on one task and 5 h on another is a 400 naming
    the duration and the day's total; what was logged stays."""
    artist = make_person("user", first_name="Ema", last_name="Peel")
    first, second = production["tasks"][0], production["tasks"][1]
    assert api_client.post(time_url(first, artist), {"duration": 20 * HOUR}, format="json").status_code == 201
    before = snapshot(second)
    response = api_client.post(time_url(second, artist), {"duration": 5 * HOUR}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["duration"]
    assert body["message"] == (
        "duration: Ema Peel would have 90000 seconds (25 h) logged on 2017-03-20 across tasks: "
        "a day holds at most 86400 seconds (24 h)."
    )
    assert snapshot(second) == before
    assert api_client.post(time_url(second, artist), {"duration": 4 * HOUR}, format="json").status_code == 201
    assert api_client.post(time_url(second, artist, add=True), {"duration": 1}, format="json").status_code == 400
    assert api_client.post(time_url(second, artist, day="2017-03-21"), {"duration": 5 * HOUR}, format="json").status_code == 201
    assert TimeSpent.objects.get(task=second, date="2017-03-20").duration == 4 * HOUR


def test_setting_a_days_time_again_replaces_it_within_the_cap(api_client, production):
    artist = make_person("user")
    task = production["tasks"][0]
    for duration in (24 * HOUR, 8 * HOUR):
        assert api_client.post(time_url(task, artist), {"duration": duration}, format="json").status_code == 201
    assert Task.objects.get(pk=task.pk).duration == 8 * HOUR


def test_the_cap_holds_on_the_time_spents_data_route(api_client, production):
    artist = make_person("user")
    TimeSpent.objects.create(task=production["tasks"][0], person=artist, date=datetime.date(2017, 3, 20), duration=23 * HOUR)
    body = {"task_id": str(production["tasks"][1].id), "person_id": str(artist.id), "date": "2017-03-20", "duration": 2 * HOUR}
    response = api_client.post("/api/data/time_spents", body, format="json")
    assert response.status_code == 400
    assert "would have 90000 seconds (25 h) logged on 2017-03-20" in response.json()["errors"]["duration"][0]
    assert TimeSpent.objects.count() == 1
