"""Thumbnails and previews on either storage a studio configures: the local
MEDIA_ROOT (the default) or an S3-compatible bucket set up from the
environment, here a real S3 API served by moto on a free local port."""

import io

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from bench.servers import free_port
from files.models import PreviewFile
from tests.helpers import THUMBNAIL
from tests.files.test_thumbnail_api import png_of, upload
from zou_site.settings import file_storage

BUCKET = "lanternfish-thumbnails"
S3_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "studio-key",
    "AWS_SECRET_ACCESS_KEY": "studio-secret",
    "AWS_S3_ADDRESSING_STYLE": "path",
    "AWS_LOCATION": "zou",
}
# One worker runs the whole module, so the S3 server starts once.
pytestmark = pytest.mark.xdist_group("s3_server")


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3(endpoint, interface=boto3.client):
    """A boto3 client (or resource) of the S3 service, with the studio's keys."""
    return interface(
        "s3", endpoint_url=endpoint, region_name="eu-west-1",
        aws_access_key_id="studio-key", aws_secret_access_key="studio-secret",
    )


def bucket_keys(endpoint):
    return {item["Key"]: item["Size"] for item in s3(endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.fixture(params=["local", "s3"])
def storage(request, settings, tmp_path):
    """Answers a function listing what is stored, name → size."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.param == "local":
        settings.STORAGES = {**settings.STORAGES, "default": file_storage({})}
        return lambda: {
            str(path.relative_to(settings.MEDIA_ROOT)): path.stat().st_size
            for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()
        }
    endpoint = request.getfixturevalue("s3_endpoint")
    s3(endpoint).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {**settings.STORAGES, "default": file_storage({**S3_ENVIRONMENT, "AWS_S3_ENDPOINT_URL": endpoint})}
    request.addfinalizer(lambda: _empty_bucket(endpoint))
    # Names inside AWS_LOCATION; a key outside it would show whole and fail the comparison.
    return lambda: {key[len("zou/"):] if key.startswith("zou/") else f"/{key}": size for key, size in bucket_keys(endpoint).items()}


def _empty_bucket(endpoint):
    bucket = s3(endpoint, boto3.resource).Bucket(BUCKET)
    bucket.objects.all().delete()
    bucket.delete()


def test_settings_pick_the_storage_from_the_environment(s3_endpoint):
    assert file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    configured = file_storage({**S3_ENVIRONMENT, "AWS_S3_ENDPOINT_URL": s3_endpoint})
    assert configured == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET, "location": "zou", "file_overwrite": True, "endpoint_url": s3_endpoint,
            "region_name": "eu-west-1", "access_key": "studio-key", "secret_key": "studio-secret",
            "addressing_style": "path",
        },
    }


def test_a_shot_thumbnail_is_stored_and_read_back(api_client, production, storage):
    shot = production["shots"][0]
    assert upload(api_client, "shots", shot.id, THUMBNAIL.read_bytes()).status_code == 201
    stored = storage()
    assert list(stored) == [f"thumbnails/shots/{shot.id}.png"]
    response = api_client.get(f"/api/pictures/thumbnails/shots/{shot.id}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (150, 100)
    assert stored[f"thumbnails/shots/{shot.id}.png"] == len(body)  # what was stored is what is served

    # A new upload replaces the picture under the same name.
    other = io.BytesIO()
    Image.new("RGB", (600, 400), (250, 210, 60)).save(other, "PNG")
    assert upload(api_client, "shots", shot.id, other.getvalue()).status_code == 201
    assert list(storage()) == [f"thumbnails/shots/{shot.id}.png"]
    replaced = png_of(api_client.get(f"/api/pictures/thumbnails/shots/{shot.id}.png")).convert("RGB")
    assert replaced.getpixel((75, 50)) == (250, 210, 60)


def test_a_preview_is_stored_and_read_back_and_a_missing_one_is_404(api_client, asset_task, storage):
    preview = PreviewFile.objects.create(name="HL010_0010_sculpt_v001", task=asset_task)
    assert api_client.get(f"/api/pictures/thumbnails/preview-files/{preview.id}.png").status_code == 404
    assert upload(api_client, "preview-files", preview.id, THUMBNAIL.read_bytes()).status_code == 201
    assert list(storage()) == [f"thumbnails/preview-files/{preview.id}.png"]
    assert png_of(api_client.get(f"/api/pictures/thumbnails/preview-files/{preview.id}.png")).size == (320, 180)  # never enlarged (issue 13 finding 12)

