"""gazu 1.3.1, unchanged, against a live server (issue 15): a project's team,
a person's departments, password and avatar, the time a person spent, and a
project's status settings. Every call's rows are checked."""

import datetime

import gazu
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from files.thumbnail_storage import thumbnail_name, thumbnail_save
from production.models import Department, Person, Project, TimeSpent
from tests.factories import PASSWORD, make_person
from tests.helpers import THUMBNAIL

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def names(rows):
    return sorted(f"{row['first_name']} {row['last_name']}" for row in rows)


def test_a_projects_team(gazu_as, production):
    gazu_as("manager")
    project = production["project"]
    ana = make_person("user", first_name="Ana", last_name="Ito")
    bo = make_person("supervisor", first_name="Bo", last_name="Lund")
    assert gazu.project.get_team(str(project.id)) == []

    answered = gazu.project.add_person_to_team(str(project.id), str(ana.id))
    assert answered["id"] == str(project.id) and answered["team"] == [str(ana.id)]
    gazu.project.add_person_to_team(str(project.id), str(bo.id), role="supervisor")  # bo's own role: kept
    gazu.project.add_person_to_team(str(project.id), str(ana.id))  # already on it: nothing changes
    team = gazu.project.get_team(str(project.id))
    assert names(team) == ["Ana Ito", "Bo Lund"] and {row["type"] for row in team} == {"Person"}
    assert "password" not in team[0]

    link = gazu.project.update_team_member_role(str(project.id), str(bo.id), None)
    assert link == {"project_id": str(project.id), "person_id": str(bo.id), "role": "supervisor"}
    with pytest.raises(gazu.exception.ParameterException, match="Roles are studio-wide"):
        gazu.project.update_team_member_role(str(project.id), str(ana.id), "manager")
    with pytest.raises(gazu.exception.ParameterException, match="Roles are studio-wide"):
        gazu.project.add_person_to_team(str(project.id), str(make_person("user").id), role="client")
    assert Person.objects.get(pk=ana.pk).role == "user"  # no role was changed anywhere

    gazu.project.remove_person_from_team(str(project.id), str(ana.id))
    assert names(gazu.project.get_team(str(project.id))) == ["Bo Lund"]
    assert list(Project.objects.get(pk=project.pk).team.all()) == [bo]
    with pytest.raises(gazu.exception.RouteNotFoundException):  # not on the team any more
        gazu.project.remove_person_from_team(str(project.id), str(ana.id))
    with pytest.raises(gazu.exception.ParameterException, match="person_id"):
        gazu.project.add_person_to_team(str(project.id), "2f1c4f57-0000-4000-8000-000000000000")


def test_a_team_member_reads_the_team_but_only_managers_change_it(gazu_as, production):
    project = production["project"]
    me = gazu_as("supervisor", first_name="Sue", last_name="Pervisor")
    project.team.add(me)
    other = make_person("user", first_name="Ola", last_name="Nordmann")
    project.team.add(other)
    assert names(gazu.project.get_team(str(project.id))) == ["Ola Nordmann", "Sue Pervisor"]
    for call in (
        lambda: gazu.project.add_person_to_team(str(project.id), str(make_person("user").id)),
        lambda: gazu.project.remove_person_from_team(str(project.id), str(other.id)),
        lambda: gazu.project.update_team_member_role(str(project.id), str(other.id), None),
    ):
        with pytest.raises(gazu.exception.NotAllowedException):
            call()
    assert project.team.count() == 2


def test_departments_password_and_avatar_of_a_person(gazu_as, production, media_root, live_server):
    gazu_as("admin")
    artist = make_person("user", first_name="Chloé", last_name="Dubois")
    rigging = Department.objects.create(name="Rigging", color="#8d6e63")

    blank = gazu.person.new_department("Layout")  # gazu sends color "" by default
    assert (blank["name"], blank["color"]) == ("Layout", "#999999")

    row = gazu.person.add_person_to_department(str(artist.id), str(rigging.id))
    assert row["id"] == str(artist.id) and row["skills"] == [str(rigging.id)]
    gazu.person.add_person_to_department(str(artist.id), blank)
    assert set(Person.objects.get(pk=artist.pk).skills.values_list("name", flat=True)) == {"Rigging", "Layout"}
    gazu.person.remove_person_from_department(str(artist.id), str(rigging.id))
    assert list(Person.objects.get(pk=artist.pk).skills.values_list("name", flat=True)) == ["Layout"]
    with pytest.raises(gazu.exception.ParameterException, match="department_id"):
        gazu.person.add_person_to_department(str(artist.id), "2f1c4f57-0000-4000-8000-000000000000")

    # The artist is logged in elsewhere; an admin sets a new password: that session ends.
    theirs = gazu.client.create_client(f"{live_server.url}/api")
    gazu.log_in(artist.email, PASSWORD, client=theirs)
    assert gazu.client.get_current_user(client=theirs)["id"] == str(artist.id)
    assert gazu.person.change_password_for_person(str(artist.id), "A-new-pass-w0rd") == {"success": True}
    with pytest.raises(gazu.exception.NotAuthenticatedException):
        gazu.client.get_current_user(client=theirs)
    gazu.log_in(artist.email, "A-new-pass-w0rd", client=theirs)
    assert gazu.client.get_current_user(client=theirs)["id"] == str(artist.id)
    theirs.session.close()
    with pytest.raises(gazu.exception.ParameterException, match="password"):
        gazu.person.change_password_for_person(str(artist.id), "short")

    thumbnail_save(kind="persons", object_id=artist.id, upload=SimpleUploadedFile("a.png", THUMBNAIL.read_bytes()))
    gazu.person.clear_person_avatar(str(artist.id))
    assert not (media_root / thumbnail_name("persons", artist.id)).exists()

    found = gazu.person.get_person_by_full_name("chloé  DUBOIS")
    assert found["id"] == str(artist.id)
    assert gazu.person.get_person_by_full_name("Chloé Martin") is None


def test_only_admins_change_a_persons_departments_and_password(gazu_as, production):
    gazu_as("manager")
    artist = make_person("user")
    department = production["departments"][0]
    for call in (
        lambda: gazu.person.add_person_to_department(str(artist.id), str(department.id)),
        lambda: gazu.person.remove_person_from_department(str(artist.id), str(department.id)),
        lambda: gazu.person.change_password_for_person(str(artist.id), "A-new-pass-w0rd"),
    ):
        with pytest.raises(gazu.exception.NotAllowedException):
            call()
    assert not artist.skills.exists()
    assert Person.objects.get(pk=artist.pk).check_password(PASSWORD)


def test_the_time_a_person_spent(gazu_as, production):
    me = gazu_as("supervisor")
    production["project"].team.add(me)
    artist = make_person("user")
    production["project"].team.add(artist)
    p01, p02, p03, tree = production["tasks"][:4]
    logged = [
        (p01, datetime.date(2024, 1, 8), 3600),  # Monday of ISO week 2
        (p01, datetime.date(2024, 1, 9), 1800),
        (p02, datetime.date(2024, 1, 9), 600),
        (tree, datetime.date(2024, 2, 1), 7200),
        (p03, datetime.date(2023, 12, 31), 60),
    ]
    for task, day, duration in logged:
        TimeSpent.objects.create(task=task, person=artist, date=day, duration=duration)
    TimeSpent.objects.create(task=p01, person=me, date=datetime.date(2024, 1, 8), duration=5)  # someone else's

    day = gazu.person.get_time_spents_by_date(str(artist.id), "2024-01-09")
    assert sorted((row["task_id"], row["duration"]) for row in day) == sorted([(str(p01.id), 1800), (str(p02.id), 600)])
    in_range = gazu.person.get_time_spents_range(str(artist.id), "2024-01-01", "2024-01-31")
    assert [row["date"] for row in in_range] == ["2024-01-08", "2024-01-09", "2024-01-09"]  # by day
    assert sorted(row["duration"] for row in in_range) == [600, 1800, 3600]
    month = gazu.person.get_all_month_time_spents(str(artist.id), datetime.date(2024, 1, 20))
    assert [row["date"] for row in month] == ["2024-01-08", "2024-01-09", "2024-01-09"]
    assert sorted(row["duration"] for row in month) == [600, 1800, 3600] and {row["person_id"] for row in month} == {str(artist.id)}

    week = gazu.person.get_week_time_spents(str(artist.id), 2024, 2)
    assert [(row["task_id"], row["duration"]) for row in week] == [(str(p01.id), 5400), (str(p02.id), 600)]
    assert week[0] == {
        "task_id": str(p01.id), "task_type_id": str(p01.task_type_id), "project_id": str(production["project"].id),
        "project_name": "Cosmos Landromat", "entity_name": "P01", "entity_type_name": "Shot",
        "sequence_name": "S01", "episode_name": "E01", "duration": 5400,
    }
    year = gazu.person.get_year_time_spents(str(artist.id), 2024)
    assert {(row["entity_name"], row["duration"]) for row in year} == {("P01", 5400), ("P02", 600), ("Tree", 7200)}
    tree_row = next(row for row in year if row["entity_name"] == "Tree")
    assert (tree_row["entity_type_name"], tree_row["sequence_name"], tree_row["episode_name"]) == ("Props", None, None)
    assert [row["entity_name"] for row in gazu.person.get_year_time_spents(str(artist.id), 2023)] == ["P03"]
    assert gazu.person.get_week_time_spents(str(artist.id), 2024, 30) == []


def test_a_projects_status_and_task_type_settings(gazu_as, production):
    gazu_as("manager")
    project = str(production["project"].id)
    wip = gazu.task.get_task_status_by_short_name("wip")
    assert gazu.project.add_task_status(project, wip)["id"] == project
    assert "WIP" in [status["name"] for status in gazu.project.get_project_task_statuses(project)]
    with pytest.raises(gazu.exception.ParameterException, match="task_status_id"):
        gazu.project.add_task_status(project, "2f1c4f57-0000-4000-8000-000000000000")
    assert sorted(t["name"] for t in gazu.project.get_project_task_types(project)) == ["Animation", "Shaders"]
