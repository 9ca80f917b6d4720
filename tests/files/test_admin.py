"""The files admin screens render for coordinators and show thumbnails."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from files.thumbnails_admin import thumbnail_html
from production.models import Shot
from tests.helpers import THUMBNAIL, assert_query_baseline, client_for
from tests.files.test_thumbnail_api import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(admin_person):
    browser = Client()
    browser.force_login(admin_person)
    return browser


@pytest.fixture
def file_rows(asset_task, admin_person):
    software = Software.objects.create(name="Blender", short_name="bl", file_extension="blend")
    working = WorkingFile.objects.create(
        name="main", revision=3, task=asset_task, entity=asset_task.entity, person=admin_person, software=software,
        path="/simple/productions/tree_v003",
    )
    output = OutputFile.objects.create(
        name="main", task=asset_task, entity=asset_task.entity, person=admin_person, source_file=working,
        output_type=OutputType.objects.create(name="Cache"), file_status=FileStatus.objects.get(name="To review"),
    )
    preview = PreviewFile.objects.create(name="tree_preview", task=asset_task, person=admin_person, source_file=output)
    return {"workingfile": working, "outputfile": output, "previewfile": preview}


@pytest.mark.parametrize("model", ["filestatus", "software", "outputtype", "workingfile", "outputfile", "previewfile"])
def test_changelists_render_with_search_and_filters(admin_browser, file_rows, model):
    response = admin_browser.get(f"/admin/files/{model}/", {"q": "main"})
    assert response.status_code == 200
    if model == "workingfile":
        assert b"/simple/productions/tree_v003" in response.content
        assert b"Tree / Shaders / main" in response.content


def test_working_file_list_query_count_is_flat(admin_browser, asset_task, file_rows, django_assert_max_num_queries):
    for revision in range(4, 10):
        WorkingFile.objects.create(name="main", revision=revision, task=asset_task, entity=asset_task.entity)
    with assert_query_baseline(django_assert_max_num_queries, "admin files/workingfile list"):
        admin_browser.get("/admin/files/workingfile/")


@pytest.mark.parametrize("model, kind", [("workingfile", "working-files"), ("previewfile", "preview-files")])
def test_change_pages_show_the_thumbnail(admin_browser, admin_person, file_rows, media_root, model, kind):
    row = file_rows[model]
    page = admin_browser.get(f"/admin/files/{model}/{row.id}/change/")
    assert page.status_code == 200 and b"No thumbnail" in page.content
    upload(client_for(admin_person), kind, row.id, THUMBNAIL.read_bytes())
    page = admin_browser.get(f"/admin/files/{model}/{row.id}/change/")
    assert b'<img src="data:image/png;base64,' in page.content


def test_thumbnail_html_serves_other_admins(production, api_client, media_root):
    shot = production["shots"][0]
    assert thumbnail_html("shots", shot) == "No thumbnail"
    upload(api_client, "shots", shot.id, THUMBNAIL.read_bytes())
    assert thumbnail_html("shots", shot).startswith('<img src="data:image/png;base64,iVBORw0KGgo')


def png_bytes(size=(64, 36), color=(200, 40, 40)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def shot_form(shot, **extra):
    """The shot page's form as a browser posts it (no task rows)."""
    return {
        "project": shot.project_id, "parent": shot.parent_id, "name": shot.name, "description": "",
        "frame_in": "", "frame_out": "", "nb_frames": "", "shotgun_id": "", "data": "null",
        "tasks-TOTAL_FORMS": "0", "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000",
        "casting_links-TOTAL_FORMS": "0", "casting_links-INITIAL_FORMS": "0",
        **extra,
    }


def test_shot_page_uploads_a_thumbnail_and_shows_it(admin_browser, production, media_root):
    """Issue 18: the admin had no upload field for thumbnails, and the shot page
    never showed one (the CSV admin's re-registration dropped the section)."""
    shot = Shot.objects.create(name="P99", project=production["project"], parent=production["sequences"][0])
    url = f"/admin/production/shot/{shot.id}/change/"
    page = admin_browser.get(url).content.decode()
    assert 'name="thumbnail_upload"' in page and "No thumbnail" in page
    upload = SimpleUploadedFile("frame.png", png_bytes(), content_type="image/png")
    response = admin_browser.post(url, shot_form(shot, thumbnail_upload=upload))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert default_storage.exists(f"thumbnails/shots/{shot.id}.png")
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in admin_browser.get(url).content.decode()


def test_a_file_that_is_no_picture_is_refused_on_the_form(admin_browser, production, media_root):
    shot = Shot.objects.create(name="P98", project=production["project"], parent=production["sequences"][0])
    url = f"/admin/production/shot/{shot.id}/change/"
    upload = SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")
    response = admin_browser.post(url, shot_form(shot, name="P98b", thumbnail_upload=upload))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["thumbnail_upload"]
    assert Shot.objects.get(pk=shot.pk).name == "P98"
    assert not default_storage.exists(f"thumbnails/shots/{shot.id}.png")


def listed_thumbnails(html):
    import re

    return re.findall(r'<img src="(/admin/thumbnails/[^"]+)" alt="" class="list-thumbnail"', html)


def test_shot_asset_and_task_lists_show_each_rows_thumbnail(admin_browser, production, api_client, media_root):
    """Issue 18: thumbnails in the lists, small, loaded from the stored picture."""
    shot, asset = production["shots"][0], production["assets"][0]
    upload(api_client, "shots", shot.id, THUMBNAIL.read_bytes())
    shots = listed_thumbnails(admin_browser.get("/admin/production/shot/").content.decode())
    assert sorted(shots) == sorted(f"/admin/thumbnails/shots/{s.id}.png" for s in production["shots"])
    assets = listed_thumbnails(admin_browser.get("/admin/production/asset/").content.decode())
    assert sorted(assets) == sorted(f"/admin/thumbnails/assets/{a.id}.png" for a in production["assets"])
    tasks = listed_thumbnails(admin_browser.get("/admin/production/task/").content.decode())
    assert f"/admin/thumbnails/shots/{shot.id}.png" in tasks and f"/admin/thumbnails/assets/{asset.id}.png" in tasks
    # The stored picture itself, and a blank for a row without one (no broken image).
    stored = admin_browser.get(f"/admin/thumbnails/shots/{shot.id}.png")
    with default_storage.open(f"thumbnails/shots/{shot.id}.png", "rb") as picture:
        assert stored["Content-Type"] == "image/png" and stored.content == picture.read()
    blank = admin_browser.get(f"/admin/thumbnails/assets/{asset.id}.png")
    assert blank.status_code == 200 and blank.content.startswith(b"\x89PNG") and len(blank.content) < 100
    # Signed-out visitors are sent to the login page.
    assert Client().get(f"/admin/thumbnails/shots/{shot.id}.png").status_code == 302


def test_a_task_page_shows_its_shots_thumbnail(admin_browser, production, api_client, media_root):
    task = production["tasks"][0]
    upload(api_client, "shots", task.entity_id, THUMBNAIL.read_bytes())
    page = admin_browser.get(f"/admin/production/task/{task.id}/change/").content.decode()
    assert "Thumbnail of its entity" in page
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in page and 'alt="shots thumbnail" class="page-thumbnail"' in page
