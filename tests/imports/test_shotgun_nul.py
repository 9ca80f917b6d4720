"""A NUL character anywhere in a Shotgun record, keys of nested objects
included, refuses the batch naming the record, and nothing reaches the
database, not even the import-error table (issue 17: storing such a record as
an import error made PostgreSQL fail with a 500). Every door: REST, admin, manage.py."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from imports.models import DataImportError
from production.models import TaskType

pytestmark = pytest.mark.django_db

GOOD_STEP = {"type": "Step", "id": 701, "code": "Layout", "color": "1,2,3"}


@pytest.mark.parametrize(
    "bad_step, where",
    [
        ({"type": "Step", "id": 702, "code": "Anim", "sg_meta": {"a\x00b": 1}}, "sg_meta"),
        ({"type": "Step", "id": 702, "code": "Anim", "sg_\x00": "x"}, "record"),
        ({"type": "Step", "id": 702, "code": "Anim", "sg_list": [{"deep": "a\x00b"}]}, "deep"),
        ({"type": "Step", "id": 702, "code": "Lone \udc00"}, "code"),
    ],
    ids=["key-of-nested-object", "top-level-key", "value-in-a-list", "unpaired-surrogate"],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_rest_import_refuses_the_batch_naming_the_record(api_client, bad_step, where, dry_run):
    body = json.dumps({"records": [GOOD_STEP, bad_step], "dry_run": dry_run})
    response = api_client.post("/api/data/import/shotgun/steps", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["message"] == (
        f"Record 1 (Shotgun id 702) holds a NUL character or an unpaired surrogate at '{where}'; nothing was imported."
    )
    assert not TaskType.objects.filter(shotgun_id__in=[701, 702]).exists()
    assert not DataImportError.objects.exists()


def test_the_admin_upload_refuses_it_before_the_preview(admin_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    browser = Client()
    browser.force_login(admin_person)
    records = [GOOD_STEP, {"type": "Step", "id": 702, "code": "Anim", "sg_meta": {"a\x00b": 1}}]
    upload = SimpleUploadedFile("steps.json", json.dumps(records).encode(), "application/json")
    response = browser.post("/admin/imports/dataimporterror/shotgun-import/", {"kind": "steps", "file": upload})
    assert response.status_code == 200
    assert "Record 1 (Shotgun id 702) holds a NUL character" in response.content.decode()
    assert not TaskType.objects.filter(shotgun_id__in=[701, 702]).exists() and not DataImportError.objects.exists()
    assert not (tmp_path / "shotgun-imports").exists()


def test_the_command_refuses_it(tmp_path):
    path = tmp_path / "steps.json"
    path.write_text(json.dumps([GOOD_STEP, {"type": "Step", "id": 702, "code": "Anim", "sg_meta": {"a\x00b": 1}}]))
    with pytest.raises(CommandError, match=r"Record 1 \(Shotgun id 702\) holds a NUL character"):
        call_command("import_shotgun", "steps", str(path))
    assert not TaskType.objects.filter(shotgun_id__in=[701, 702]).exists() and not DataImportError.objects.exists()
