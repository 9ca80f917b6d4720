"""The production board: one row per shot or asset, one column per task type,
statuses in their colours with assignees and late markers, filters, and bulk
changes through the API's services (a status change is a comment)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from production.models import Comment, Shot, Task, TaskStatus, TaskType
from tests.factories import make_person
from tests.helpers import assert_query_baseline, browser_for, shot_page_with_task_status

BOARD = reverse("admin:production_board")


def board(browser, **params):
    response = browser.get(BOARD, params)
    assert response.status_code == 200
    return response


def test_admin_index_links_the_board_first(admin_browser):
    html = admin_browser.get(reverse("admin:index")).content.decode()
    assert html.index(f'href="{BOARD}"') < html.index(f'href="{reverse("admin:production_project_changelist")}"')


def test_board_shows_each_shot_with_its_tasks_status_colour_assignee_and_late_marker(admin_browser, production):
    project, tasks = production["project"], production["tasks"]
    artist = make_person("user", first_name="Chloé", last_name="Martin")
    tasks[0].assignees.add(artist)
    wip = TaskStatus.objects.get(short_name="wip")
    Task.objects.filter(pk=tasks[0].pk).update(task_status=wip, due_date=timezone.localdate() - datetime.timedelta(days=1))
    done = TaskStatus.objects.get(short_name="done")
    Task.objects.filter(pk=tasks[1].pk).update(task_status=done, due_date=timezone.localdate() - datetime.timedelta(days=1))

    response = board(admin_browser, project=project.pk)
    rows = response.context["board"].rows
    assert [row.label for row in rows] == ["E01 / S01 / P01", "E01 / S01 / P02", "E01 / S02 / P03"]
    assert [column.name for column in response.context["board"].columns] == ["Animation"]
    first, second = rows[0].cells[0].tasks[0], rows[1].cells[0].tasks[0]
    assert (first["status"], first["assignees"], first["late"]) == (wip, [artist], True)
    assert (second["status"], second["late"]) == (done, False)  # done tasks are never late
    html = response.content.decode()
    assert 'data-s="wip">wip<' in html
    colors = admin_browser.get(reverse("admin:production_board_colors")).content.decode()
    assert f'.board-status[data-s="wip"]{{background:{wip.color};color:#fff}}' in colors
    assert html.count("board-late-marker") == 1
    assert f'href="/admin/production/shot/{production["shots"][0].pk}/change/">E01 / S01 / P01</a>' in html
    assert ">CM</abbr>" in html


def test_board_lists_assets_by_type(admin_browser, production):
    response = board(admin_browser, project=production["project"].pk, kind="assets")
    assert [row.label for row in response.context["board"].rows] == ["Characters / Victor", "Props / Tree"]
    assert [column.name for column in response.context["board"].columns] == ["Shaders"]


def test_board_filters_by_sequence_status_and_assignee(admin_browser, production):
    project, tasks = production["project"], production["tasks"]
    s02 = production["sequences"][1]
    assert [r.label for r in board(admin_browser, project=project.pk, sequence=s02.pk).context["board"].rows] == [
        "E01 / S02 / P03"
    ]
    wip = TaskStatus.objects.get(short_name="wip")
    Task.objects.filter(pk=tasks[1].pk).update(task_status=wip)
    rows = board(admin_browser, project=project.pk, status=wip.pk).context["board"].rows
    assert [r.label for r in rows] == ["E01 / S01 / P02"]
    artist = make_person("user")
    tasks[2].assignees.add(artist)
    rows = board(admin_browser, project=project.pk, assignee=artist.pk).context["board"].rows
    assert [r.label for r in rows] == ["E01 / S02 / P03"]


def test_bulk_status_change_writes_one_comment_per_task(admin_browser, admin_person, production):
    tasks = production["tasks"][:3]
    wip = TaskStatus.objects.get(short_name="wip")
    response = admin_browser.post(
        BOARD,
        {"action": "status", "tasks": [t.pk for t in tasks], "task_status": wip.pk, "comment": "Go", "filters": "kind=shots"},
    )
    assert response.status_code == 302 and response["Location"] == f"{BOARD}?kind=shots"
    assert set(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("task_status", flat=True)) == {wip.pk}
    comments = Comment.objects.filter(object_id__in=[t.pk for t in tasks])
    assert sorted((c.text, c.task_status_id, c.person_id) for c in comments) == [("Go", wip.pk, admin_person.pk)] * 3
    # The API's rule applies too: WIP sets the real start date.
    assert all(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("real_start_date", flat=True))


def test_bulk_assign_unassign_and_due_date(admin_browser, admin_person, production):
    tasks = production["tasks"][:2]
    ids = [t.pk for t in tasks]
    artist = make_person("user")
    admin_browser.post(BOARD, {"action": "assign", "tasks": ids, "person": artist.pk})
    assert [list(t.assignees.all()) for t in Task.objects.filter(pk__in=ids)] == [[artist], [artist]]
    assert set(Task.objects.filter(pk__in=ids).values_list("assigner", flat=True)) == {admin_person.pk}
    admin_browser.post(BOARD, {"action": "due_date", "tasks": ids, "due_date": "2027-01-15"})
    assert set(Task.objects.filter(pk__in=ids).values_list("due_date", flat=True)) == {datetime.date(2027, 1, 15)}
    admin_browser.post(BOARD, {"action": "unassign", "tasks": ids[:1]})
    assert [t.assignees.count() for t in Task.objects.filter(pk__in=ids).order_by("created_at")] == [0, 1]


def test_bulk_action_missing_its_value_changes_nothing_and_says_why(admin_browser, production):
    task = production["tasks"][0]
    response = admin_browser.post(BOARD, {"action": "status", "tasks": [task.pk]}, follow=True)
    assert "Task status: This action needs a value here." in response.content.decode()
    assert Task.objects.get(pk=task.pk).task_status == production["todo"]
    assert not Comment.objects.exists()


def test_board_needs_a_staff_person(production):
    response = browser_for(make_person("supervisor")).get(BOARD)
    assert response.status_code == 302 and "/login/" in response["Location"]


def add_shots(production, count):
    sequence = production["sequences"][0]
    todo, task_types = production["todo"], production["task_types"]
    artist = make_person("user")
    for n in range(count):
        shot = Shot.objects.create(name=f"X{n:03}", project=production["project"], parent=sequence)
        for task_type in task_types:
            task = Task.objects.create(project=shot.project, task_type=task_type, task_status=todo, entity=shot)
            task.assignees.add(artist)


@pytest.mark.parametrize("extra_shots", [0, 12])
def test_board_query_count_is_flat(admin_browser, production, django_assert_max_num_queries, extra_shots):
    add_shots(production, extra_shots)
    with assert_query_baseline(django_assert_max_num_queries, "admin production/board"):
        response = board(admin_browser, project=production["project"].pk)
    assert len(response.context["board"].rows) == 3 + extra_shots
    columns = [column.name for column in response.context["board"].columns]
    assert columns == ["Animation", "Shaders"] if extra_shots else ["Animation"]


def test_task_rows_on_a_shot_page_offer_no_delete_or_edit_of_statuses_and_task_types(admin_browser, production):
    """Issue 18: the ✖ beside a task's status in an inline row deleted the status itself, studio-wide."""
    shot = production["shots"][0]
    html = admin_browser.get(reverse("admin:production_shot_change", args=[shot.pk])).content.decode()
    for field in ("task_status", "task_type"):
        for link in ("add", "change", "delete", "view"):
            assert f'id="{link}_id_tasks-0-{field}"' not in html
    assert 'name="tasks-0-task_status"' in html


TASKS = reverse("admin:production_task_changelist")


def list_action(browser, action, tasks, **values):
    data = {"action": f"tasks_{action}", "_selected_action": [t.pk for t in tasks], "index": 0, **values}
    return browser.post(TASKS, data, follow=True)


def test_task_list_bulk_status_comment_assign_and_due_date_through_the_api_services(admin_browser, admin_person, production):
    tasks = production["tasks"][:2]
    ids = [t.pk for t in tasks]
    wip = TaskStatus.objects.get(short_name="wip")
    response = list_action(admin_browser, "status", tasks, task_status=wip.pk, comment="Start")
    assert "2 tasks set to WIP." in response.content.decode()
    assert set(Task.objects.filter(pk__in=ids).values_list("task_status", flat=True)) == {wip.pk}
    list_action(admin_browser, "comment", tasks, comment="Notes from dailies")
    assert sorted(Comment.objects.filter(object_id__in=ids).values_list("text", "task_status")) == [
        ("Notes from dailies", wip.pk)
    ] * 2 + [("Start", wip.pk)] * 2
    artist = make_person("user")
    list_action(admin_browser, "assign", tasks, person=artist.pk)
    assert [list(t.assignees.all()) for t in Task.objects.filter(pk__in=ids)] == [[artist], [artist]]
    list_action(admin_browser, "unassign", tasks[:1], person=artist.pk)
    list_action(admin_browser, "due_date", tasks, due_date="2027-02-01")
    rows = Task.objects.filter(pk__in=ids).order_by("created_at")
    assert [(t.assignees.count(), t.due_date) for t in rows] == [(0, datetime.date(2027, 2, 1)), (1, datetime.date(2027, 2, 1))]


def test_task_list_bulk_action_without_its_value_changes_nothing(admin_browser, production):
    response = list_action(admin_browser, "assign", production["tasks"][:2])
    assert "Person: This action needs a value here." in response.content.decode()
    assert not Task.assignees.through.objects.exists()


def test_shot_list_creates_tasks_of_chosen_types_and_cancels(admin_browser, production):
    shots = production["shots"][:2]
    layout = TaskType.objects.create(name="Layout", for_shots=True, for_entity="Shot")
    animation = production["task_types"][0]
    url = reverse("admin:production_shot_changelist")
    selected = [s.pk for s in shots]
    response = admin_browser.post(
        url, {"action": "create_tasks", "_selected_action": selected, "task_types": [layout.pk, animation.pk]}, follow=True
    )
    assert "Animation, Layout tasks on 2 rows (existing ones kept)." in response.content.decode()
    assert sorted(Task.objects.filter(entity__in=shots).values_list("entity__name", "task_type__name")) == [
        ("P01", "Animation"), ("P01", "Layout"), ("P02", "Animation"), ("P02", "Layout")
    ]
    assert set(Task.objects.filter(task_type=layout).values_list("task_status__is_default", flat=True)) == {True}
    admin_browser.post(url, {"action": "cancel", "_selected_action": selected})
    assert list(Shot.objects.filter(canceled=True).order_by("name").values_list("name", flat=True)) == ["P01", "P02"]
    admin_browser.post(url, {"action": "uncancel", "_selected_action": selected[:1]})
    assert list(Shot.objects.filter(canceled=True).values_list("name", flat=True)) == ["P02"]


def test_create_tasks_without_a_task_type_says_so(admin_browser, production):
    url = reverse("admin:production_asset_changelist")
    response = admin_browser.post(
        url, {"action": "create_tasks", "_selected_action": [a.pk for a in production["assets"]]}, follow=True
    )
    assert "Task types: Choose at least one task type." in response.content.decode()
    assert Task.objects.count() == len(production["tasks"])


def test_colors_stylesheet_writes_only_hex_colours(admin_browser, production):
    """The CSP allows no inline style, so colours come from a stylesheet: a
    colour field holding anything but a hex code must not inject CSS."""
    TaskStatus.objects.create(name="Odd", short_name='o"d', color="red}*{")
    TaskStatus.objects.filter(short_name="todo").update(color="#f5f5f5")
    response = admin_browser.get(reverse("admin:production_board_colors"))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert '.board-status[data-s="todo"]{background:#f5f5f5;color:#000}' in css
    assert "red}" not in css and 'o\\"d' not in css


def test_entity_pickers_label_entities_with_their_full_path(admin_browser, production):
    """Issue 18: the Add task entity picker offered identical 'SH010' entries."""
    response = admin_browser.get(
        "/admin/autocomplete/", {"app_label": "production", "model_name": "task", "field_name": "entity", "term": "P0"}
    )
    labels = sorted(result["text"] for result in response.json()["results"])
    assert labels == ["Cosmos Landromat / E01 / S01 / P01", "Cosmos Landromat / E01 / S01 / P02", "Cosmos Landromat / E01 / S02 / P03"]
    task = production["tasks"][0]
    page = admin_browser.get(reverse("admin:production_task_change", args=[task.pk])).content.decode()
    assert "Cosmos Landromat / E01 / S01 / P01</option>" in page
    response = admin_browser.get(
        "/admin/autocomplete/", {"app_label": "production", "model_name": "task", "field_name": "entity", "term": "Tree"}
    )
    assert [result["text"] for result in response.json()["results"]] == ["Cosmos Landromat / Tree"]


def test_a_status_changed_on_the_task_page_is_written_as_a_comment(admin_browser, admin_person, production):
    """Issue 18: a status change in the admin wrote no comment, while the API's status history is its comments."""
    task = production["tasks"][0]
    wip = TaskStatus.objects.get(short_name="wip")
    url = reverse("admin:production_task_change", args=[task.pk])
    form = admin_browser.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "assignees"}
    data.update(project=task.project_id, entity=task.entity_id, task_type=task.task_type_id, task_status=wip.pk)
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.task_status == wip and task.real_start_date is not None
    comment = Comment.objects.get(object_id=task.pk)
    assert (comment.task_status, comment.person) == (wip, admin_person)
    admin_browser.post(url, data)
    assert Comment.objects.filter(object_id=task.pk).count() == 1


def test_a_status_changed_in_a_shot_pages_task_row_is_written_as_a_comment(admin_browser, admin_person, production):
    shot, task = production["shots"][0], production["tasks"][0]
    wip = TaskStatus.objects.get(short_name="wip")
    data = shot_page_with_task_status(shot, task, wip)
    response = admin_browser.post(reverse("admin:production_shot_change", args=[shot.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    assert Task.objects.get(pk=task.pk).task_status == wip
    assert list(Comment.objects.filter(object_id=task.pk).values_list("task_status", "person")) == [(wip.pk, admin_person.pk)]


def test_a_refused_admin_page_is_a_styled_403_naming_the_role(production):
    """Issue 18: the 403 page was bare."""
    manager = make_person("manager", email="manager@studio.test")
    response = browser_for(manager).get(reverse("admin:production_person_import"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not open this page" in html and "manager@studio.test (Manager)" in html
    assert f'href="{reverse("admin:index")}"' in html
