"""Who may import persons, and what an import may do to them (issue 13,
finding 1, high; findings 10 and acceptance 2): one rule for every door
(REST, the admin's upload screens, manage.py with an explicit flag)."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from production.auth.persons import SystemActor
from imports.shotgun.services import shotgun_import
from production.models import Person
from tests.factories import make_person
from tests.helpers import assert_json_message, client_for, row_counts

SHOTGUN_PERSONS = "/api/data/import/shotgun/persons"
SHOTGUN_REMOVE = "/api/import/shotgun/remove/persons"
CSV_PERSONS = "/api/data/import/csv/persons"
ADMIN_SHOTGUN = "/admin/imports/dataimporterror/shotgun-import/"


def person_row(person):
    person.refresh_from_db()
    return (person.email, person.first_name, person.last_name, person.role, person.active, person.shotgun_id)


def sg_person(shotgun_id, email, **fields):
    return {"type": "HumanUser", "id": shotgun_id, "email": email, **fields}


def post_records(client, records, url=SHOTGUN_PERSONS):
    return client.post(url, data=json.dumps(records), content_type="application/json")


def post_sheet(client, text):
    return client.post(CSV_PERSONS, {"file": SimpleUploadedFile("persons.csv", text.encode())}, format="multipart")


@pytest.fixture
def second_admin(db):
    return make_person("admin", email="admin2@studio.test", first_name="Second", last_name="Admin")


@pytest.fixture
def manager(db):
    return make_person("manager", email="manager@studio.test")


# Finding 1 (high): the manager's attack, on every door.


@pytest.mark.parametrize(
    "record",
    [
        {"sg_status_list": "dis"},  # deactivates the second admin
        {"sg_status_list": "act", "firstname": "Mallory"},  # renames them
    ],
)
def test_manager_cannot_take_over_an_admin_through_the_shotgun_import(manager, second_admin, record):
    client = client_for(manager)
    before, counts = person_row(second_admin), row_counts()
    response = post_records(client, [sg_person(666001, "admin2@studio.test", **record)])
    data = assert_json_message(response, 403)
    assert "Only admins" in data["message"]
    assert person_row(second_admin) == before
    assert row_counts() == counts


def test_manager_cannot_import_a_new_login_nor_a_dry_run(manager):
    for url in (SHOTGUN_PERSONS, SHOTGUN_PERSONS + "?dry_run=true"):
        assert_json_message(post_records(client_for(manager), [sg_person(666002, "mallory@evil.test")], url), 403)
    assert not Person.objects.filter(email="mallory@evil.test").exists()


def test_manager_cannot_remove_a_person_imported_from_shotgun(manager, second_admin):
    Person.objects.filter(pk=second_admin.pk).update(shotgun_id=666001)
    response = client_for(manager).post(SHOTGUN_REMOVE, {"id": 666001}, format="json")
    assert_json_message(response, 403)
    assert Person.objects.filter(pk=second_admin.pk).exists()


def test_manager_is_refused_on_the_admin_upload_screen(manager, second_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    browser = Client()
    browser.force_login(manager)
    before = person_row(second_admin)
    content = json.dumps([sg_person(666001, "admin2@studio.test", sg_status_list="dis")]).encode()
    response = browser.post(ADMIN_SHOTGUN, {"kind": "persons", "file": SimpleUploadedFile("persons.json", content)})
    assert response.status_code == 403
    assert "Only admins may create, change, import or delete persons." in response.content.decode()
    assert person_row(second_admin) == before
    # Other kinds stay open to managers on the same screen.
    projects = json.dumps([{"type": "Project", "id": 71, "name": "Harbour Lights"}]).encode()
    preview = browser.post(ADMIN_SHOTGUN, {"kind": "projects", "file": SimpleUploadedFile("projects.json", projects)})
    assert preview.status_code == 200 and "1 to create" in preview.content.decode()


def test_manager_csv_persons_import_is_403_on_rest_and_admin(manager, second_admin):
    before = person_row(second_admin)
    response = post_sheet(client_for(manager), "Email,First Name,Role\nadmin2@studio.test,Mallory,user\n")
    assert_json_message(response, 403)
    browser = Client()
    browser.force_login(manager)
    upload = SimpleUploadedFile("persons.csv", b"Email,First Name,Role\nadmin2@studio.test,Mallory,user\n")
    assert browser.post(reverse("admin:production_person_import"), {"import_file": upload, "format": "0"}).status_code == 403
    assert person_row(second_admin) == before


# Acceptance 2: an admin's import never demotes, renames or deactivates the importing admin.


@pytest.mark.parametrize(
    "fields, named",
    [({"sg_status_list": "dis"}, "'active'"), ({"firstname": "Someone"}, "'first_name'")],
)
def test_admin_shotgun_import_does_not_touch_the_importing_admin(admin_person, fields, named):
    before = person_row(admin_person)
    response = post_records(client_for(admin_person), [sg_person(5001, admin_person.email, **fields), sg_person(5002, "new@studio.test")])
    assert response.status_code == 200
    data = response.json()
    assert data["created"] == 1 and data["updated"] == 0
    [error] = data["errors"]
    assert error["index"] == 0 and error["id"] == 5001 and named in error["reason"]
    assert person_row(admin_person) == before


def test_admin_csv_import_does_not_demote_or_rename_the_importing_admin(admin_person):
    client = client_for(admin_person)
    # The refused sheet is kept as an import error; the production tables stay as they were.
    before, counts = person_row(admin_person), row_counts("production")
    sheet = f"Email,First Name,Role\nnew@studio.test,New,user\n{admin_person.email},Someone,user\n"
    data = assert_json_message(post_sheet(client, sheet), 400)
    assert sorted((e["line"], e["column"]) for e in data["errors"]) == [(3, "First Name"), (3, "Role")]
    assert person_row(admin_person) == before
    assert row_counts("production") == counts


def test_a_deactivation_by_shotgun_import_revokes_every_token_for_good(admin_person, second_admin):
    victim_client = client_for(second_admin)
    assert victim_client.get("/api/data/projects").status_code == 200
    admin = client_for(admin_person)
    assert post_records(admin, [sg_person(7001, second_admin.email, sg_status_list="dis")]).json()["updated"] == 1
    assert not Person.objects.get(pk=second_admin.pk).active
    assert_json_message(victim_client.get("/api/data/projects"), 401)
    # Re-activation by the next import does not bring the old session back.
    assert post_records(admin, [sg_person(7001, second_admin.email, sg_status_list="act")]).json()["updated"] == 1
    assert_json_message(victim_client.get("/api/data/projects"), 401)
    assert client_for(Person.objects.get(pk=second_admin.pk)).get("/api/data/projects").status_code == 200


def test_admin_cannot_remove_themselves_through_the_shotgun_removal(admin_person):
    Person.objects.filter(pk=admin_person.pk).update(shotgun_id=5001)
    response = client_for(admin_person).post(SHOTGUN_REMOVE, {"id": 5001}, format="json")
    assert "cannot delete yourself" in assert_json_message(response, 400)["message"]
    assert Person.objects.filter(pk=admin_person.pk).exists()


def test_the_last_active_admin_is_never_deactivated_by_an_import(admin_person):
    """manage.py --persons (a SystemActor) is no person, so nothing stops it
    but the last-admin rule: the record fails, the others are imported."""
    records = [sg_person(5001, admin_person.email, sg_status_list="dis"), sg_person(5002, "other@studio.test")]
    result = shotgun_import(kind="persons", records=records, actor=SystemActor(persons=True))
    assert result.created == 1
    assert [(e.index, e.reason) for e in result.errors] == [
        (0, "The last active admin cannot be removed, demoted or deactivated: make another admin first.")
    ]
    assert Person.objects.get(pk=admin_person.pk).active


def test_the_last_active_admin_is_never_demoted_by_a_csv_import(admin_person, tmp_path):
    sheet = tmp_path / "persons.csv"
    sheet.write_text(f"Email,Role\n{admin_person.email},manager\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 row has errors"):
        call_command("import_csv", "persons", str(sheet), "--persons", stdout=StringIO(), stderr=err)
    assert "line 2, Role: The last active admin cannot be" in err.getvalue()
    assert Person.objects.get(pk=admin_person.pk).role == "admin"


# manage.py: persons only with the explicit flag.


def test_commands_import_persons_only_with_the_persons_flag(db, tmp_path):
    records = tmp_path / "persons.json"
    records.write_text(json.dumps([sg_person(9001, "farm@studio.test")]))
    sheet = tmp_path / "persons.csv"
    sheet.write_text("Email\nsheet@studio.test\n")
    with pytest.raises(CommandError, match="add --persons"):
        call_command("import_shotgun", "persons", str(records), stdout=StringIO())
    with pytest.raises(CommandError, match="needs --persons"):
        call_command("import_csv", "persons", str(sheet), stdout=StringIO(), stderr=StringIO())
    assert not Person.objects.exists()
    call_command("import_shotgun", "persons", str(records), "--persons", stdout=StringIO())
    call_command("import_csv", "persons", str(sheet), "--persons", stdout=StringIO(), stderr=StringIO())
    assert sorted(Person.objects.values_list("email", flat=True)) == ["farm@studio.test", "sheet@studio.test"]
