"""The admin as a coordinator's workplace (issue 18): an index in the order
of production work, sign-in messages that say what went wrong, times in
hours, a default status on a new task and tasks named by their full path."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from production.models import Comment, Task, TaskStatus, TimeSpent
from tests.factories import PASSWORD, make_person

LOGIN = reverse("admin:login")


def section_links(html):
    """{section title: [row names]} of the index, in page order."""
    sections = {}
    for caption, body in re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>\s*</caption>(.*?)</table>', html, re.S):
        sections[caption] = re.findall(r'<th scope="row"[^>]*>\s*<a href="[^"]+"[^>]*>([^<]+)</a>', body)
    return sections


def test_the_index_leads_with_production_work_and_groups_the_settings(admin_browser):
    html = admin_browser.get(reverse("admin:index")).content.decode()
    sections = section_links(html)
    assert list(sections)[:5] == ["Production", "People", "Files", "Imports", "Settings"]
    assert sections["Production"][:6] == ["Production board", "Progress", "Projects", "Shots", "Assets", "Tasks"]
    assert "Task statuses" in sections["Settings"] and "Task types" in sections["Settings"]
    assert "Shotgun import" in sections["Imports"] and "CSV import: shots" in sections["Imports"]
    assert f'href="{reverse("admin:imports_shotgun_import")}"' in html
    assert f'href="{reverse("admin:production_shot_import")}"' in html
    # Nothing is served at the site's root: no "View site" link leading to a 404.
    assert "View site" not in html


def sign_in(email, password):
    response = Client().post(LOGIN, {"username": email, "password": password})
    return response.content.decode()


def test_a_wrong_password_says_so(db):
    person = make_person("manager")
    assert "Wrong email or password." in sign_in(person.email, "not-the-password")


def test_a_role_refused_is_named(db):
    person = make_person("user", email="artist@studio.test")
    html = sign_in(person.email, PASSWORD)
    assert "artist@studio.test has the role User: only admins and managers sign in to this site." in html
    assert "Wrong email or password." not in html


def test_a_lockout_says_for_how_many_minutes(db, settings):
    settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS = 2, 600
    person = make_person("manager")
    for _ in range(2):
        assert "Wrong email or password." in sign_in(person.email, "wrong")
    html = sign_in(person.email, PASSWORD)
    assert "signing in is locked for 10 more minutes" in html


def test_task_times_are_in_hours_in_the_form_and_the_list(admin_browser, production):
    task = production["tasks"][0]
    Task.objects.filter(pk=task.pk).update(estimation=115200)
    url = reverse("admin:production_task_change", args=[task.pk])
    response = admin_browser.get(url)
    html = response.content.decode()
    assert "Estimation (hours)" in html and 'name="estimation" value="32"' in html
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "assignees"}
    data.update(project=task.project_id, entity=task.entity_id, task_type=task.task_type_id, task_status=task.task_status_id)
    data.update(estimation="1.5", duration="0")
    assert admin_browser.post(url, data).status_code == 302
    assert Task.objects.get(pk=task.pk).estimation == 5400
    listing = admin_browser.get(reverse("admin:production_task_changelist"), {"q": task.entity.name}).content.decode()
    assert "1.5 h" in listing
    Task.objects.filter(pk=task.pk).update(estimation=115200)
    assert "32 h (4 d)" in admin_browser.get(reverse("admin:production_task_changelist")).content.decode()


def test_time_spent_is_entered_in_hours(admin_browser, admin_person, production):
    task = production["tasks"][0]
    data = {"person": admin_person.pk, "task": task.pk, "date": "2026-12-01", "duration": "2.5"}
    response = admin_browser.post(reverse("admin:production_timespent_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TimeSpent.objects.get().duration == 9000


def test_add_task_starts_at_the_default_status(admin_browser, production):
    form = admin_browser.get(reverse("admin:production_task_add")).context["adminform"].form
    default = TaskStatus.objects.get(is_default=True)
    assert form["task_status"].value() == default.pk
    assert default.short_name == "todo"


def test_comments_and_deleted_tasks_are_named_by_their_full_path(admin_browser, admin_person, production):
    task = Task.objects.select_related("entity__parent__parent", "project", "task_type").get(pk=production["tasks"][0].pk)
    shot = task.entity
    path = f"{task.project.name} / {shot.parent.parent.name} / {shot.parent.name} / {shot.name} / {task.task_type.name}"
    Comment.objects.create(object_id=task.pk, object_type="Task", person=admin_person, task_status=task.task_status, text="Nice")
    assert path in admin_browser.get(reverse("admin:production_comment_changelist")).content.decode()
    confirm = admin_browser.get(reverse("admin:production_task_delete", args=[task.pk])).content.decode()
    assert path in confirm


@pytest.mark.parametrize("url", ["admin:index", "admin:production_task_changelist"])
def test_no_view_site_link_anywhere(admin_browser, production, url):
    assert "View site" not in admin_browser.get(reverse(url)).content.decode()
