"""The admin Shotgun upload: preview (a dry run) then confirm, and the errors list."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from imports.models import DataImportError
from production.models import Project
from tests.factories import make_person
from tests.imports.test_shotgun_import import fixture_records

UPLOAD_URL = "/admin/imports/dataimporterror/shotgun-import/"
ERRORS_URL = "/admin/imports/dataimporterror/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_browser(admin_person):
    browser = Client()
    browser.force_login(admin_person)
    return browser


def upload(browser, kind, records):
    content = records if isinstance(records, bytes) else json.dumps(records).encode()
    return browser.post(UPLOAD_URL, {"kind": kind, "file": SimpleUploadedFile(f"{kind}.json", content, "application/json")})


def test_preview_then_confirm(admin_browser, media_root):
    assert "Import Shotgun JSON" in admin_browser.get(ERRORS_URL).content.decode()
    form = admin_browser.get(UPLOAD_URL)
    assert form.status_code == 200 and 'name="file"' in form.content.decode()

    records = fixture_records("projects") + [{"type": "Project", "id": 79, "sg_status": "Active"}]
    preview = upload(admin_browser, "projects", records)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 to create, 0 to update, 0 unchanged, 1 not importable." in page
    assert "<td>created</td><td>71</td><td>Harbour Lights</td>" in page
    assert "&#x27;name&#x27; is missing or empty." in page
    assert not Project.objects.exists() and not DataImportError.objects.exists()

    token = preview.context["confirm_form"].initial["token"]
    assert (media_root / "shotgun-imports" / f"{token}.json").exists()
    done = admin_browser.post(UPLOAD_URL, {"kind": "projects", "token": token}, follow=True)
    assert done.redirect_chain[-1][0] == f"{ERRORS_URL}?source__exact=shotgun"
    assert "Shotgun projects: 2 created, 0 updated, 0 unchanged, 1 not imported" in done.content.decode()
    assert sorted(Project.objects.values_list("name", flat=True)) == ["Harbour Lights", "Paper Moths"]
    assert DataImportError.objects.get().event_data["id"] == 79
    assert not (media_root / "shotgun-imports" / f"{token}.json").exists()

    # The same confirmation twice imports nothing more.
    again = admin_browser.post(UPLOAD_URL, {"kind": "projects", "token": token}, follow=True)
    assert "already imported or has expired" in again.content.decode()


@pytest.mark.parametrize(
    "content, message",
    [(b"[{", "The file is not valid JSON"), (b'{"id": 1}', "must hold a JSON array")],
)
def test_bad_files_are_refused_on_the_form(admin_browser, content, message):
    response = upload(admin_browser, "projects", content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_forged_token_is_refused(admin_browser):
    response = admin_browser.post(UPLOAD_URL, {"kind": "projects", "token": "../../settings"}, follow=True)
    assert "This confirmation is not valid" in response.content.decode()


def test_errors_list_filters_by_source_and_searches_the_record(admin_browser):
    DataImportError.objects.create(source="shotgun", event_data={"id": 641, "code": "HL410_0010", "reason": "no sequence", "import_kind": "shots"})
    DataImportError.objects.create(source="csv", event_data={"kind": "shots", "message": "2 rows have errors"})
    page = admin_browser.get(ERRORS_URL, {"source__exact": "shotgun"}).content.decode()
    assert "no sequence" in page and "2 rows have errors" not in page
    found = admin_browser.get(ERRORS_URL, {"q": "HL410_0010"})
    assert list(found.context["cl"].result_list.values_list("event_data__id", flat=True)) == [641]


def test_upload_screen_is_for_admins_and_managers(db):
    manager, user = Client(), Client()
    manager.force_login(make_person("manager"))
    user.force_login(make_person("user"))
    assert manager.get(UPLOAD_URL).status_code == 200
    assert user.get(UPLOAD_URL).status_code == 302


def test_preview_says_a_record_takes_over_a_project_matched_by_name_and_changes_nothing_until_confirmed(admin_browser):
    """Issue 18: an upload matched the demo project by name and switched it
    from Open to On Hold while the preview only said 'updated'."""
    from production.models import ProjectStatus

    open_status = ProjectStatus.objects.get(name="Open")
    project = Project.objects.create(name="Paper Moths", project_status=open_status, fps="25")
    preview = upload(admin_browser, "projects", fixture_records("projects"))
    page = preview.content.decode()
    assert "1 to create, 1 to update, 0 unchanged, 0 not importable." in page
    assert "Matches the existing row with name &#x27;Paper Moths&#x27;, which has no Shotgun id yet" in page
    assert "<li><b>project status</b>: Open → On Hold</li>" in page
    project.refresh_from_db()
    assert (project.shotgun_id, project.project_status) == (None, open_status)
    assert not ProjectStatus.objects.filter(name="On Hold").exists()

    token = preview.context["confirm_form"].initial["token"]
    admin_browser.post(UPLOAD_URL, {"kind": "projects", "token": token})
    project.refresh_from_db()
    assert (project.shotgun_id, project.project_status.name) == (72, "On Hold")
