"""Image decoding limits over HTTP (issue 13 findings 12 and 14): a tighter
pixel cap on avatars, which every role uploads for itself; previews never
enlarged; only PNG, JPEG, GIF, WebP and TIFF opened."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.models import PreviewFile
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def picture(size, format="PNG", mode="1"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format)
    return buffer.getvalue()


def upload(client, kind, object_id, data):
    return client.post(
        f"/api/pictures/thumbnails/{kind}/{object_id}", {"file": SimpleUploadedFile("p.png", data)}, format="multipart"
    )


def test_an_avatar_over_the_avatar_cap_is_400_and_nothing_is_stored(production, stored_files):
    artist = make_person("user")
    width = settings.AVATAR_MAX_PIXELS // 4000 + 1
    response = upload(client_for(artist), "persons", artist.id, picture((width, 4000)))
    assert response.status_code == 400, response.content
    assert response.json()["message"] == (
        f"file: The image is {width}x4000 pixels, over the limit of {settings.AVATAR_MAX_PIXELS} pixels."
    )
    assert stored_files() == []


def test_a_1x34_preview_stays_1x34(api_client, asset_task, stored_files):
    preview = PreviewFile.objects.create(name="preview", task=asset_task)
    assert upload(api_client, "preview-files", preview.id, picture((1, 34), mode="RGB")).status_code == 201
    response = api_client.get(f"/api/pictures/thumbnails/preview-files/{preview.id}.png")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1, 34)


def test_an_eps_never_reaches_ghostscript(api_client, production, stored_files):
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n%%EOF\n"
    response = upload(api_client, "shots", production["shots"][0].id, eps)
    assert response.status_code == 400
    assert response.json()["message"].startswith("file: The file is not a readable image (PNG, JPEG, GIF, WEBP, TIFF)")
    assert stored_files() == []
