"""The admin as coordinators use it, over the demo production: every screen
answers, searches and filters reach across relations, the entity screens keep
kinds apart, and only admins and managers get in (managers only look at persons)."""

import io
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from production.models import (
    ApiEvent,
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityType,
    Episode,
    FailedLogin,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.factories import PASSWORD, make_person
from tests.helpers import assert_query_baseline, browser_for, row_counts

REGISTERED = [
    Person,
    Department,
    ProjectStatus,
    Project,
    EntityType,
    AssetType,
    Entity,
    Episode,
    Sequence,
    Shot,
    Asset,
    TaskType,
    TaskStatus,
    Task,
    Comment,
    TimeSpent,
]
NEW_PASSWORD = "Another-S3cret-pass"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def password_url(person):
    # UserAdmin, which the person screens extend, names this URL after auth.User.
    return reverse("admin:auth_user_password_change", args=(person.pk,))


def shown_rows(response):
    return list(response.context["cl"].result_list)


def test_every_production_model_has_a_screen():
    production_models = apps.get_app_config("production").get_models()
    # Webhooks are admins' own screens: tests/production/test_webhooks_admin.py.
    webhooks = {WebhookSubscription, WebhookDelivery}
    assert {model for model in production_models if admin.site.is_registered(model)} == {*REGISTERED, FailedLogin, ApiEvent, *webhooks}


def test_failed_logins_are_for_admins_to_read_and_clear(admin_browser, manager_browser):
    failure = FailedLogin.objects.create(email="someone@studio.test", ip_address="10.0.0.1")
    assert "someone@studio.test" in admin_browser.get(admin_url(FailedLogin, "changelist")).content.decode()
    assert admin_browser.get(admin_url(FailedLogin, "add")).status_code == 403
    assert manager_browser.get(admin_url(FailedLogin, "changelist")).status_code == 403
    response = admin_browser.post(admin_url(FailedLogin, "delete", failure.pk), {"post": "yes"})
    assert response.status_code == 302 and not FailedLogin.objects.exists()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_every_screen_answers(demo, admin_browser, django_assert_max_num_queries, model):
    # A list costs a fixed number of queries, not one more per row or per column.
    with assert_query_baseline(django_assert_max_num_queries, f"admin {model._meta.app_label}/{model._meta.model_name} list"):
        assert admin_browser.get(admin_url(model, "changelist")).status_code == 200
    assert admin_browser.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    assert admin_browser.get(admin_url(model, "add")).status_code == 200
    row = model._default_manager.first()
    assert admin_browser.get(admin_url(model, "change", row.pk)).status_code == 200


def test_the_shot_list_shows_each_shot_with_its_sequence_project_and_frames(demo, admin_browser):
    shot = Shot.objects.select_related("parent__parent", "project").get(name="SH010", parent__name="SQ02")
    html = admin_browser.get(admin_url(Shot, "changelist"), {"q": "SQ02"}).content.decode()
    row = next(line for line in html.split("<tr") if f"/{shot.pk}/change/" in line)
    for shown in ("SH010", "SQ02", "E01", "Big Buck Bunny", str(shot.frame_in), str(shot.frame_out)):
        assert f">{shown}<" in row


def test_shots_sort_by_their_first_frame(demo, admin_browser):
    # The column's place as shown: the files app adds the thumbnail after the first.
    frame_in_column = list(admin.site.get_model_admin(Shot).get_list_display(None)).index("frame_in") + 1
    shots = shown_rows(admin_browser.get(admin_url(Shot, "changelist"), {"o": f"-{frame_in_column}"}))
    assert [shot.frame_in for shot in shots] == sorted((shot.frame_in for shot in shots), reverse=True)


def test_comments_show_the_task_they_are_on(demo, admin_browser):
    comment = Comment.objects.first()
    task = Task.objects.select_related("entity__parent__parent", "project", "task_type").get(pk=comment.object_id)
    html = admin_browser.get(admin_url(Comment, "changelist")).content.decode()
    shot = task.entity
    # The full path: shot names repeat in every sequence.
    assert f">{task.project.name} / {shot.parent.parent.name} / {shot.parent.name} / {shot.name} / {task.task_type.name}<" in html


@pytest.mark.parametrize("term, expected", [("SQ03", 8), ("E02", 16), ("Bunny", 32), ("SH080", 4)])
def test_shots_are_found_by_their_name_sequence_episode_or_project(demo, admin_browser, term, expected):
    shots = shown_rows(admin_browser.get(admin_url(Shot, "changelist"), {"q": term}))
    assert len(shots) == expected


def test_shots_are_filtered_by_sequence(demo, admin_browser):
    sequence = Sequence.objects.get(name="SQ04")
    shots = shown_rows(admin_browser.get(admin_url(Shot, "changelist"), {"sequence": sequence.pk}))
    assert {shot.parent_id for shot in shots} == {sequence.pk} and len(shots) == 8


@pytest.mark.parametrize("term", ["emma.nowak@example.com", "Nowak"])
def test_tasks_are_found_by_their_assignee(demo, admin_browser, term):
    emma = Person.objects.get(email="emma.nowak@example.com")
    tasks = shown_rows(admin_browser.get(admin_url(Task, "changelist"), {"q": term}))
    assert {task.pk for task in tasks} == set(emma.tasks.values_list("pk", flat=True))


def test_tasks_are_found_by_their_entity_and_project(demo, admin_browser):
    assert len(shown_rows(admin_browser.get(admin_url(Task, "changelist"), {"q": "Gimera"}))) == 3
    assert admin_browser.get(admin_url(Task, "changelist"), {"q": "Bunny"}).context["cl"].result_count == 173


def test_tasks_are_filtered_by_project_type_status_and_assignee(demo, admin_browser):
    task = Task.objects.filter(task_type__name="Lighting").first()
    assignee = task.assignees.get()
    filters = {
        "project__id__exact": task.project_id,
        "task_type__id__exact": task.task_type_id,
        "task_status__id__exact": task.task_status_id,
        "assignees__id__exact": assignee.pk,
    }
    response = admin_browser.get(admin_url(Task, "changelist"), filters)
    expected = Task.objects.filter(
        project=task.project, task_type=task.task_type, task_status=task.task_status, assignees=assignee
    )
    assert {row.pk for row in shown_rows(response)} == set(expected.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Shot, Task])
def test_the_main_lists_show_many_rows_at_their_baseline_query_count(demo, admin_browser, django_assert_max_num_queries, model):
    with assert_query_baseline(django_assert_max_num_queries, f"admin production/{model._meta.model_name} list"):
        response = admin_browser.get(admin_url(model, "changelist"))
    assert len(shown_rows(response)) >= 32


def test_the_project_page_counts_its_breakdown(demo, admin_browser):
    project = Project.objects.get(name="Big Buck Bunny")
    html = admin_browser.get(admin_url(Project, "change", project.pk)).content.decode()
    for field, count in [("nb_episodes", 2), ("nb_sequences", 4), ("nb_shots", 32), ("nb_assets", 15), ("nb_tasks", 173)]:
        assert re.search(rf'field-{field}.*?<div class="readonly">{count}</div>', html, re.S)


def parent_choices(browser, model):
    form = browser.get(admin_url(model, "add")).context["adminform"].form
    return {entity.entity_type.name for entity in form.fields["parent"].queryset}


def test_a_shot_is_placed_in_a_sequence_and_a_sequence_in_an_episode(demo, admin_browser):
    assert parent_choices(admin_browser, Shot) == {"Sequence"}
    assert parent_choices(admin_browser, Sequence) == {"Episode"}


def test_an_asset_can_only_be_of_an_asset_type(demo, admin_browser):
    form = admin_browser.get(admin_url(Asset, "add")).context["adminform"].form
    assert set(form.fields["entity_type"].queryset) == set(AssetType.objects.all())


def test_a_casting_only_offers_assets(demo, admin_browser):
    query = {"app_label": "production", "model_name": "entitylink", "field_name": "entity_out", "term": "r"}
    results = admin_browser.get("/admin/autocomplete/", query).json()["results"]
    assert results
    assert {Entity.objects.get(pk=result["id"]).entity_type.name for result in results} <= {
        "Characters",
        "Props",
        "Environments",
    }


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def new_shot_form(sequence, name, *tasks):
    """The POST of the shot add page, with a row of the task inline per task given."""
    data = {
        "project": sequence.project_id,
        "parent": sequence.pk,
        "name": name,
        "description": "",
        "frame_in": 2001,
        "frame_out": 2048,
        "nb_frames": "",
        "shotgun_id": "",
        "data": "",
        **management_form("tasks", len(tasks)),
        **management_form("casting_links", 0),
    }
    for index, (task_type, assignee) in enumerate(tasks):
        data |= {
            f"tasks-{index}-task_type": task_type.pk,
            f"tasks-{index}-name": "main",
            f"tasks-{index}-task_status": TaskStatus.objects.get(short_name="todo").pk,
            f"tasks-{index}-assignees": [assignee.pk],
        }
    return data


def test_adding_a_shot_with_tasks_sets_its_type_frames_and_the_tasks_project(demo, admin_browser):
    sequence = Sequence.objects.get(name="SQ01")
    animation = TaskType.objects.get(name="Animation")
    dev = Person.objects.get(email="dev.patel@example.com")
    response = admin_browser.post(admin_url(Shot, "add"), new_shot_form(sequence, "SH900", (animation, dev)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    shot = Entity.objects.get(name="SH900")
    assert shot.entity_type.name == "Shot"
    assert (shot.data, shot.nb_frames) == ({"frame_in": 2001, "frame_out": 2048}, 48)
    task = shot.tasks.get()
    assert (task.project_id, task.task_type, list(task.assignees.all())) == (sequence.project_id, animation, [dev])


def test_shot_data_other_than_an_object_is_refused_with_a_message(demo, admin_browser):
    sequence = Sequence.objects.get(name="SQ01")
    response = admin_browser.post(admin_url(Shot, "add"), new_shot_form(sequence, "SH902") | {"data": "[1, 2]"})
    assert response.status_code == 200
    assert "a JSON object" in response.content.decode()


def test_a_shot_already_in_its_sequence_is_refused_with_a_message(demo, admin_browser):
    sequence = Sequence.objects.get(name="SQ01")
    response = admin_browser.post(admin_url(Shot, "add"), new_shot_form(sequence, "SH010"))
    assert response.status_code == 200
    assert "already exists under this parent" in response.content.decode()
    assert Shot.objects.filter(name="SH010", parent=sequence).count() == 1


def test_the_same_task_twice_on_a_shot_is_refused_with_a_message(demo, admin_browser):
    sequence = Sequence.objects.get(name="SQ01")
    layout = TaskType.objects.get(name="Layout")
    dev = Person.objects.get(email="dev.patel@example.com")
    form = new_shot_form(sequence, "SH901", (layout, dev), (layout, dev))
    response = admin_browser.post(admin_url(Shot, "add"), form)
    assert response.status_code == 200
    assert "is listed twice" in response.content.decode()
    assert not Entity.objects.filter(name="SH901").exists()


def resubmission(response):
    """What a browser posts back from an admin change page left as it is."""
    forms, data = [response.context["adminform"].form], {}
    for inline in response.context["inline_admin_formsets"]:
        management_form = inline.formset.management_form
        data |= {management_form.add_prefix(name): value for name, value in management_form.initial.items()}
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def test_a_shot_page_saved_unchanged_changes_nothing(demo, admin_browser):
    shot = Shot.objects.get(name="SH030", parent__name="SQ02")
    # The admin's own log records the save: only the production tables count.
    before = row_counts("production"), shot.data, list(shot.tasks.values_list("pk", "task_status", "project"))
    page = admin_browser.get(admin_url(Shot, "change", shot.pk))
    response = admin_browser.post(admin_url(Shot, "change", shot.pk), resubmission(page))
    assert response.status_code == 302, response.context["errors"]
    shot.refresh_from_db()
    assert (row_counts("production"), shot.data, list(shot.tasks.values_list("pk", "task_status", "project"))) == before


def test_a_task_the_shot_already_has_is_refused_on_its_page(demo, admin_browser):
    shot = Shot.objects.get(name="SH030", parent__name="SQ02")
    page = admin_browser.get(admin_url(Shot, "change", shot.pk))
    data = resubmission(page)
    index = data["tasks-TOTAL_FORMS"]
    data |= {
        "tasks-TOTAL_FORMS": index + 1,
        f"tasks-{index}-task_type": TaskType.objects.get(name="Layout").pk,
        f"tasks-{index}-name": "main",
        f"tasks-{index}-task_status": TaskStatus.objects.get(short_name="wip").pk,
    }
    response = admin_browser.post(admin_url(Shot, "change", shot.pk), data)
    assert response.status_code == 200
    assert "already has a task of this type and name" in response.content.decode()
    assert shot.tasks.count() == 4


def test_a_person_added_in_the_admin_logs_in_by_email_with_a_hashed_password(admin_browser):
    response = admin_browser.post(
        admin_url(Person, "add"),
        {
            "email": "New.Artist@Example.com",
            "first_name": "New",
            "last_name": "Artist",
            "role": "user",
            "active": "on",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="new.artist@example.com")
    assert person.password != NEW_PASSWORD
    assert authenticate(email="NEW.ARTIST@example.com", password=NEW_PASSWORD) == person


def test_a_person_cannot_be_added_twice_in_another_case(admin_browser, admin_person):
    response = admin_browser.post(
        admin_url(Person, "add"),
        {"email": "ADMIN@studio.test", "role": "user", "active": "on", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert Person.objects.filter(email__iexact="admin@studio.test").count() == 1


def test_changing_a_password_in_the_admin_ends_the_persons_api_sessions(admin_browser):
    person = make_person("user")
    response = admin_browser.post(
        password_url(person),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and person.tokens_valid_after is not None


def test_deactivating_a_person_in_the_admin_ends_their_api_sessions(admin_browser):
    person = make_person("user")
    response = admin_browser.post(
        admin_url(Person, "change", person.pk),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": "",
            "desktop_login": "",
            "role": "user",
            "timezone": person.timezone,
            "locale": person.locale,
            "shotgun_id": "",
            "data": "",
            "last_presence": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.active and person.tokens_valid_after is not None


def test_a_manager_sees_persons_but_cannot_change_them(demo, manager_browser):
    person = Person.objects.get(email="emma.nowak@example.com")
    assert manager_browser.get(admin_url(Person, "changelist")).status_code == 200
    response = manager_browser.get(admin_url(Person, "change", person.pk))
    # Django answers a view-only page: the same screen, fields read-only, no save button.
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    assert manager_browser.post(admin_url(Person, "change", person.pk), {"role": "admin"}).status_code == 403
    assert manager_browser.get(admin_url(Person, "add")).status_code == 403
    assert manager_browser.get(password_url(person)).status_code == 403
    person.refresh_from_db()
    assert person.role == Person.Role.USER


def test_a_manager_changes_the_production(demo, manager_browser):
    shot = Shot.objects.first()
    response = manager_browser.get(admin_url(Shot, "change", shot.pk))
    assert response.status_code == 200 and response.context["has_change_permission"] is True


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
def test_other_roles_are_sent_to_the_login_page(db, role):
    response = browser_for(make_person(role)).get(admin_url(Shot, "changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role, allowed", [("admin", True), ("manager", True), ("user", False), ("client", False)])
def test_only_admins_and_managers_sign_in_to_the_admin(db, role, allowed):
    person = make_person(role)
    client = Client()
    client.post(reverse("admin:login"), {"username": person.email.upper(), "password": PASSWORD})
    assert (client.get(reverse("admin:index")).status_code == 200) is allowed


def create_admin(*args):
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out)
    email, password = re.fullmatch(r"Login: (\S+) / Password: (\S+)\n", out.getvalue()).groups()
    return email, password


def test_create_admin_generates_a_strong_password_that_opens_the_admin(db):
    email, password = create_admin("--email", "Boss@Studio.test", "--first-name", "Big", "--last-name", "Boss")
    assert email == "boss@studio.test" and len(password) >= 20
    person = Person.objects.get(email=email)
    assert (person.role, person.full_name) == (Person.Role.ADMIN, "Big Boss")
    client = Client()
    assert client.login(email=email, password=password)
    assert client.get(reverse("admin:index")).status_code == 200


def test_create_admin_resets_an_existing_person_to_an_active_admin(db):
    person = make_person("user", active=False)
    create_admin("--email", person.email, "--password", NEW_PASSWORD)
    person.refresh_from_db()
    assert (person.role, person.active, person.first_name) == (Person.Role.ADMIN, True, person.first_name)
    assert person.check_password(NEW_PASSWORD) and not person.check_password(PASSWORD)
    assert person.tokens_valid_after is not None
    assert Person.objects.count() == 1


def test_create_admin_refuses_a_weak_password(db):
    with pytest.raises(CommandError, match="too short"):
        call_command("create_admin", "--email", "boss@studio.test", "--password", "short", stdout=io.StringIO())
    assert not Person.objects.exists()
