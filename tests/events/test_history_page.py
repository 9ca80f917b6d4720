"""A row's History page in the admin lists each change once (issue 19):
the events of every door, who, when, field, old → new named as the forms
name them; Django's log of an admin edit is not repeated beside them, only
what it logged before the row had events. The rows edited inline on the
page (a shot's casting) have their changes listed there too."""

from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from production.models import ApiEvent, Asset, EntityLink, Shot, Task, TaskStatus
from tests.factories import make_person
from tests.helpers import history_rows, shot_page_with_casting


def history(browser, model, row):
    return browser.get(reverse(f"admin:production_{model._meta.model_name}_history", args=[row.pk])).content.decode()


def test_an_admin_edit_shows_once_and_an_api_edit_beside_it(admin_browser, api_client, production):
    shot = production["shots"][0]
    assert api_client.put(f"/api/data/shots/{shot.id}", {"description": "Retimed in the API"}, format="json").status_code == 200
    data = shot_page_with_casting(shot, [])
    data.update(description="Wider", frame_in=100, frame_out=150)
    assert admin_browser.post(reverse("admin:production_shot_change", args=[shot.pk]), data).status_code == 302
    assert LogEntry.objects.filter(object_id=str(shot.pk)).count() == 1  # Django still logs it (recent actions)
    page = history(admin_browser, Shot, shot)
    rows = history_rows(page)
    assert [row for row in rows if row[2] in ("Description", "data.frame_out")] == [
        ["Ada Admin", "", "data.frame_out", "199", "150"],
        ["Ada Admin", "", "Description", "Retimed in the API", "Wider"],
        ["Ada Admin", "", "Description", "—", "Retimed in the API"],
    ]
    assert all(len(row) == 5 for row in rows) and page.count("Wider") == 1  # no line of Django's log


def test_the_casting_edited_on_the_shot_page_shows_on_its_history(admin_browser, production):
    p01, (tree, victor) = production["shots"][0], production["assets"]
    rock = Asset.objects.create(name="Rock", project=production["project"], entity_type=production["asset_types"][0])
    tree_link = EntityLink.objects.create(entity_in=p01, entity_out=tree, nb_occurences=2)
    victor_link = EntityLink.objects.create(entity_in=p01, entity_out=victor)
    rows = [
        {"id": tree_link.pk, "entity_in": p01.pk, "entity_out": tree.pk, "nb_occurences": 3, "label": ""},
        {"id": victor_link.pk, "entity_in": p01.pk, "entity_out": victor.pk, "nb_occurences": 1, "label": "", "DELETE": "on"},
        {"entity_out": rock.pk, "nb_occurences": 1, "label": ""},
    ]
    data = shot_page_with_casting(p01, rows, initial=2)
    data.update(frame_in=100, frame_out=199)
    assert admin_browser.post(reverse("admin:production_shot_change", args=[p01.pk]), data).status_code == 302
    shown = [row for row in history_rows(history(admin_browser, Shot, p01)) if row[1]]  # the casting's rows
    assert sorted(shown) == sorted(
        [
            ["Ada Admin", f"cast asset “{rock.name} ×1 in {p01.name}”", "created", "—", "—"],
            ["Ada Admin", f"cast asset “{tree.name} ×3 in {p01.name}”", "Nb occurences", "2", "3"],
            ["Ada Admin", "cast asset (removed)", "deleted", "—", "—"],
        ]
    )


def test_an_api_change_of_status_and_assignees_reads_as_names(admin_browser, api_client, production):
    task, wip = production["tasks"][0], TaskStatus.objects.get(short_name="wip")
    artist = make_person("user")
    body = {"task_status_id": str(wip.id), "assignees": [str(artist.id)]}
    assert api_client.put(f"/api/data/tasks/{task.id}", body, format="json").status_code == 200
    rows = history_rows(history(admin_browser, Task, task))
    assert sorted(rows) == [
        ["Ada Admin", "", "Assignees", "—", str(artist)],
        ["Ada Admin", "", "Task status", "Todo", "WIP"],
    ]


def test_admin_edits_logged_before_the_rows_events_are_kept(admin_browser, api_client, admin_person, production):
    shot = production["shots"][0]
    shot_type = ContentType.objects.get_for_model(Shot, for_concrete_model=False)  # as the admin logs it
    LogEntry.objects.create(
        user=admin_person, content_type=shot_type, object_id=str(shot.pk), object_repr=str(shot),
        action_flag=CHANGE, change_message="Description: — → Before events", action_time=timezone.now() - timedelta(days=30),
    )
    page = history(admin_browser, Shot, shot)
    assert history_rows(page) == [["Ada Admin", "", "Description: — → Before events"]]  # no event yet: the log is the record
    assert api_client.put(f"/api/data/shots/{shot.id}", {"description": "After"}, format="json").status_code == 200
    page = history(admin_browser, Shot, shot)
    rows = history_rows(page)
    assert ["Ada Admin", "", "Description", "—", "After"] in rows
    assert rows[-1] == ["Ada Admin", "", "Description: — → Before events"]
    assert "logged before this row's changes were recorded as events" in page
    assert ApiEvent.objects.count() == 1  # the API's shot:update
