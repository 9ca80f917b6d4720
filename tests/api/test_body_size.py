"""Every body over the size limits gets the JSON 413 the README promises
(issue 13 finding 13): one announced too large is refused before it is read,
and one Django finds too big while a view reads it (DATA_UPLOAD_MAX_MEMORY_SIZE)
gets the same answer instead of Django's HTML 400. Limits are scaled down to a
few kB so the bodies stay small."""

import json
from urllib.parse import urlencode

import pytest
from django.conf import settings as project_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from production.models import Department, TaskType

pytestmark = pytest.mark.django_db

LIMIT = 4000
TOO_LARGE = {"message": f"The request body is larger than the {LIMIT} bytes allowed."}


def test_django_reads_whatever_the_size_check_lets_through():
    """The defaults had 50 MB for Django against 100 MB for the size check."""
    assert project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == project_settings.MAX_REQUEST_SIZE


@pytest.mark.parametrize("kind", ["form", "json", "multipart"])
def test_a_body_over_djangos_limit_but_under_the_request_limit_is_a_json_413(api_client, settings, kind):
    """A deployment setting DATA_UPLOAD_MAX_MEMORY_SIZE below MAX_REQUEST_SIZE, as the defaults did."""
    settings.MAX_REQUEST_SIZE, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT, LIMIT // 2
    name = "x" * (LIMIT * 3 // 4)
    if kind == "multipart":
        sheet = SimpleUploadedFile("task_types.csv", b"Department,Name\nAnimation,Layout\n", content_type="text/csv")
        response = api_client.post("/api/data/import/csv/task_types", {"file": sheet, "note": name}, format="multipart")
    else:
        body, content_type = (urlencode({"name": name}), "application/x-www-form-urlencoded")
        if kind == "json":
            body, content_type = json.dumps({"name": name}), "application/json"
        response = api_client.generic("POST", "/api/data/departments", body, content_type=content_type)
    assert response.status_code == 413 and response["Content-Type"] == "application/json", response.content[:200]
    assert response.json() == TOO_LARGE
    assert not Department.objects.exists() and not TaskType.objects.exists()


def test_the_boundary_with_consistent_limits(api_client, settings):
    settings.MAX_REQUEST_SIZE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    at_limit = json.dumps({"name": "Layout"}).ljust(LIMIT)  # JSON allows the trailing spaces
    assert len(at_limit) == LIMIT
    response = api_client.generic("POST", "/api/data/departments", at_limit, content_type="application/json")
    assert response.status_code == 201, response.content[:200]
    over = json.dumps({"name": "y"}).ljust(LIMIT + 1)
    response = api_client.generic("POST", "/api/data/departments", over, content_type="application/json")
    assert response.status_code == 413 and response.json() == TOO_LARGE
    assert list(Department.objects.values_list("name", flat=True)) == ["Layout"]
