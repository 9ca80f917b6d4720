"""Thumbnail routes over HTTP: real uploads, real storage in a tmp MEDIA_ROOT."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.models import PreviewFile, WorkingFile
from tests.factories import make_person
from tests.helpers import THUMBNAIL, client_for

pytestmark = pytest.mark.django_db


def upload(client, kind, object_id, data, name="picture.png"):
    return client.post(
        f"/api/pictures/thumbnails/{kind}/{object_id}", {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


def png_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture(scope="module")
def bomb_png():
    """20000x20000 pixels in a few kilobytes: a 1-bit PNG of one colour."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def rows(production, asset_task, admin_person):
    working_file = WorkingFile.objects.create(name="main", task=asset_task, entity=asset_task.entity)
    preview = PreviewFile.objects.create(name="preview", task=asset_task)
    return {
        "persons": admin_person,
        "projects": production["project"],
        "shots": production["shots"][0],
        "assets": production["assets"][0],
        "working-files": working_file,
        "preview-files": preview,
    }


def test_the_fixture_picture_becomes_a_150x100_shot_thumbnail(api_client, production, stored_files):
    shot = production["shots"][0]
    response = upload(api_client, "shots", shot.id, THUMBNAIL.read_bytes())
    assert response.status_code == 201
    assert response.json() == {"thumbnail_path": f"/api/pictures/thumbnails/shots/{shot.id}.png"}
    assert stored_files() == [f"thumbnails/shots/{shot.id}.png"]
    image = png_of(api_client.get(response.json()["thumbnail_path"]))
    assert image.format == "PNG" and image.size == (150, 100)


@pytest.mark.parametrize(
    "kind, size",
    [("persons", (100, 100)), ("projects", (100, 100)), ("shots", (150, 100)), ("assets", (150, 100)),
     ("working-files", (150, 100)), ("preview-files", (320, 180))],
)
def test_every_kind_has_its_size(api_client, rows, media_root, kind, size):
    """harbour.png is 320x180: the preview keeps that size (never enlarged to 1200 wide)."""
    row = rows[kind]
    assert upload(api_client, kind, row.id, THUMBNAIL.read_bytes()).status_code == 201
    assert png_of(api_client.get(f"/api/pictures/thumbnails/{kind}/{row.id}.png")).size == size


def test_a_new_upload_replaces_the_thumbnail(api_client, production, stored_files):
    project = production["project"]
    upload(api_client, "projects", project.id, THUMBNAIL.read_bytes())
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 255)).save(buffer, "PNG")
    upload(api_client, "projects", project.id, buffer.getvalue())
    assert stored_files() == [f"thumbnails/projects/{project.id}.png"]
    image = png_of(api_client.get(f"/api/pictures/thumbnails/projects/{project.id}.png")).convert("RGB")
    assert image.size == (50, 50) and image.getpixel((25, 25)) == (0, 0, 255)


def test_a_missing_thumbnail_is_404(api_client, production, media_root):
    shot = production["shots"][1]
    response = api_client.get(f"/api/pictures/thumbnails/shots/{shot.id}.png")
    assert response.status_code == 404 and response.json() == {"message": "This shot has no thumbnail."}
    response = api_client.get(f"/api/pictures/thumbnails/shots/{uuid.UUID(int=1)}.png")
    assert response.status_code == 404 and response.json() == {"message": f"Shot {uuid.UUID(int=1)} not found."}
    response = api_client.get(f"/api/pictures/thumbnails/episodes/{uuid.UUID(int=1)}.png")
    assert response.status_code == 404 and response.json()["message"].startswith("Unknown thumbnail kind 'episodes'.")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Name,Status\nCosmos Landromat,Open\n", "file: The file is not a readable image"),
        (THUMBNAIL.read_bytes()[:6000], "file: The file is not a readable image"),
    ],
    ids=["text-file", "truncated-png"],
)
def test_what_is_not_an_image_is_400_and_nothing_is_stored(api_client, production, stored_files, data, message):
    response = upload(api_client, "shots", production["shots"][0].id, data)
    assert response.status_code == 400 and response.json()["message"].startswith(message)
    assert response.json()["errors"]["file"]
    assert stored_files() == []


def test_a_decompression_bomb_is_400_and_nothing_is_stored(api_client, production, stored_files, bomb_png):
    assert len(bomb_png) < 100_000
    response = upload(api_client, "shots", production["shots"][0].id, bomb_png)
    assert response.status_code == 400 and "pixels" in response.json()["message"]
    assert stored_files() == []


def test_under_pillows_limit_but_over_ours_is_400(api_client, production, stored_files, settings):
    settings.THUMBNAIL_MAX_PIXELS = 10_000
    response = upload(api_client, "shots", production["shots"][0].id, THUMBNAIL.read_bytes())
    assert response.status_code == 400
    assert response.json()["message"].endswith("over the limit of 10000 pixels.")
    assert stored_files() == []


def test_over_the_upload_limit_is_413_and_nothing_is_stored(api_client, production, stored_files, settings):
    settings.MAX_UPLOAD_SIZE = 10_000
    response = upload(api_client, "shots", production["shots"][0].id, THUMBNAIL.read_bytes())
    assert response.status_code == 413
    assert response.json()["message"] == "file: 31993 bytes is over the upload limit of 10000 bytes."
    assert stored_files() == []


def test_an_upload_without_file_is_400(api_client, production, stored_files):
    response = api_client.post(f"/api/pictures/thumbnails/shots/{production['shots'][0].id}", {}, format="multipart")
    assert response.status_code == 400 and response.json()["message"] == "file: No file was submitted."


def test_who_may_replace_which_thumbnail(production, rows, artist, artist_client, stored_files):
    picture = THUMBNAIL.read_bytes()
    assert upload(artist_client, "persons", artist.id, picture).status_code == 201
    # Another team's person is not even seen (issue 13, finding 11).
    assert upload(artist_client, "persons", rows["persons"].id, picture).status_code == 404
    assert upload(artist_client, "working-files", rows["working-files"].id, picture).status_code == 201
    assert upload(artist_client, "preview-files", rows["preview-files"].id, picture).status_code == 201
    response = upload(artist_client, "shots", rows["shots"].id, picture)
    assert response.status_code == 403 and response.json()["message"] == "You may not change the thumbnail of this shot."
    assert upload(artist_client, "projects", rows["projects"].id, picture).status_code == 403
    manager = client_for(make_person("manager"))
    assert upload(manager, "assets", rows["assets"].id, picture).status_code == 201
    assert upload(manager, "persons", artist.id, picture).status_code == 403
    assert sorted(stored_files()) == sorted([
        f"thumbnails/persons/{artist.id}.png",
        f"thumbnails/working-files/{rows['working-files'].id}.png",
        f"thumbnails/preview-files/{rows['preview-files'].id}.png",
        f"thumbnails/assets/{rows['assets'].id}.png",
    ])


def test_outsiders_do_not_see_the_production_pictures(api_client, rows, media_root):
    for kind in ("projects", "shots", "assets", "working-files", "preview-files"):
        upload(api_client, kind, rows[kind].id, THUMBNAIL.read_bytes())
    outsider_person = make_person("user")
    outsider = client_for(outsider_person)
    for kind in ("projects", "shots", "assets", "working-files", "preview-files"):
        assert outsider.get(f"/api/pictures/thumbnails/{kind}/{rows[kind].id}.png").status_code == 404
    # Persons too: an outsider sees themselves, not the production's staff (issue 13, finding 11).
    upload(api_client, "persons", rows["persons"].id, THUMBNAIL.read_bytes())
    assert outsider.get(f"/api/pictures/thumbnails/persons/{rows['persons'].id}.png").status_code == 404
    upload(api_client, "persons", outsider_person.id, THUMBNAIL.read_bytes())
    assert png_of(outsider.get(f"/api/pictures/thumbnails/persons/{outsider_person.id}.png")).size == (100, 100)


def test_thumbnails_need_a_token(anon_client, production, media_root):
    assert anon_client.get(f"/api/pictures/thumbnails/shots/{production['shots'][0].id}.png").status_code == 401
