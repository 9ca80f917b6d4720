"""Status history in the admin (issue 18): the task page shows its comment
thread (each status change is a comment), and History lists each edit's
fields old → new in the admin's LogEntry message (its History page lists them once, as events)."""

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from production.models import Comment, Task, TaskStatus
from tests.helpers import history_rows, shot_page_with_task_status


def task_form(browser, task):
    url = reverse("admin:production_task_change", args=[task.pk])
    form = browser.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "assignees"}
    data.update(project=task.project_id, entity=task.entity_id, task_type=task.task_type_id, task_status=task.task_status_id)
    data.update(estimation="0", duration="0")
    return url, data


def test_history_lists_each_field_old_and_new(admin_browser, admin_person, production):
    task = production["tasks"][0]
    wip = TaskStatus.objects.get(short_name="wip")
    url, data = task_form(admin_browser, task)
    data.update(task_status=wip.pk, due_date="2026-12-10", estimation="1.5", description="Layout notes")
    assert admin_browser.post(url, data).status_code == 302
    message = LogEntry.objects.get(object_id=str(task.pk)).get_change_message()
    assert "Task status: Todo → WIP" in message
    assert "Due date: — → 2026-12-10" in message
    assert "Estimation (hours): 0 → 1.5" in message
    assert "Description: — → Layout notes" in message
    # The History page lists the change once, as the event every door records, named as the form names it.
    history = admin_browser.get(reverse("admin:production_task_history", args=[task.pk])).content.decode()
    rows = history_rows(history)
    assert ["Ada Admin", "", "Task status", "Todo", "WIP"] in rows
    assert ["Ada Admin", "", "Estimation (hours)", "0", "1.5"] in rows
    assert all(len(row) == 5 for row in rows)  # no line of Django's log beside the events


def test_a_task_row_changed_on_a_shot_page_names_the_task_and_its_change(admin_browser, production):
    shot, task = production["shots"][0], production["tasks"][0]
    wip = TaskStatus.objects.get(short_name="wip")
    data = shot_page_with_task_status(shot, task, wip)
    assert admin_browser.post(reverse("admin:production_shot_change", args=[shot.pk]), data).status_code == 302
    message = LogEntry.objects.get(object_id=str(shot.pk)).get_change_message()
    assert "task “" in message and "Task status: Todo → WIP" in message


def test_the_task_page_shows_its_comment_thread_oldest_first(admin_browser, admin_person, production):
    task = production["tasks"][0]
    wip, review = TaskStatus.objects.get(short_name="wip"), TaskStatus.objects.get(short_name="pndng")
    url, data = task_form(admin_browser, task)
    admin_browser.post(url, {**data, "task_status": wip.pk})
    Comment.objects.create(object_id=task.pk, person=admin_person, task_status=review, text="Ready for <dailies>")
    page = admin_browser.get(url).content.decode()
    assert "Comments and status history" in page
    thread = page[page.index('<table class="comment-thread">'):]
    assert thread.index(">WIP<") < thread.index(">To review<")
    assert "Ready for &lt;dailies&gt;" in thread
    assert "No comment yet." in admin_browser.get(reverse("admin:production_task_change", args=[production["tasks"][1].pk])).content.decode()
    assert Task.objects.get(pk=task.pk).task_status == wip
