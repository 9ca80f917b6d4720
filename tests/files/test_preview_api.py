"""Previews over HTTP (issue 15): added to a comment with a revision per task,
uploaded as a real picture or movie into a tmp MEDIA_ROOT, served back, made
the entity's main preview, removed; who may do each."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.models import PreviewFile
from production.models import Comment, Entity
from tests.factories import make_person
from tests.files.media import movie, picture
from tests.helpers import assert_json_message, body_of, client_for, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(asset_task, artist):
    return Comment.objects.create(object_id=asset_task.id, text="v1 for review", person=artist)


def add_preview(client, task, comment, body=None):
    return client.post(f"/api/actions/tasks/{task.id}/comments/{comment.id}/add-preview", body or {}, format="json")


def upload(client, preview_id, data, name):
    return client.post(f"/api/pictures/preview-files/{preview_id}", {"file": SimpleUploadedFile(name, data)}, format="multipart")


def test_revisions_count_per_task_and_the_comment_shows_its_first(artist_client, asset_task, comment, artist):
    first = add_preview(artist_client, asset_task, comment)
    assert first.status_code == 201, first.content
    row = first.json()
    assert (row["type"], row["revision"], row["task_id"], row["person_id"]) == ("PreviewFile", 1, str(asset_task.id), str(artist.id))
    assert (row["comment_id"], row["extension"], row["name"]) == (str(comment.id), "", "Tree_Shaders_v001")
    second = add_preview(artist_client, asset_task, comment).json()
    given = add_preview(artist_client, asset_task, comment, {"revision": 7}).json()
    assert (second["revision"], given["revision"]) == (2, 7)
    assert add_preview(artist_client, asset_task, comment).json()["revision"] == 8
    assert str(Comment.objects.get(pk=comment.pk).preview_file_id) == row["id"]


def test_a_picture_becomes_the_preview_and_its_thumbnail(artist_client, asset_task, comment, stored_files):
    preview_id = add_preview(artist_client, asset_task, comment).json()["id"]
    answer = upload(artist_client, preview_id, picture((2400, 1000), fmt="JPEG"), "frame.jpg")
    assert answer.status_code == 201, answer.content
    row = answer.json()
    assert (row["id"], row["extension"], row["is_movie"]) == (preview_id, "png", False)
    assert stored_files("previews") == [f"previews/originals/{preview_id}.png"]
    assert stored_files() == [f"thumbnails/preview-files/{preview_id}.png"]
    original = artist_client.get(f"/api/pictures/originals/preview-files/{preview_id}.png")
    assert original["Content-Type"] == "image/png"
    png = body_of(original)
    assert Image.open(io.BytesIO(png)).size == (2400, 1000) and row["file_size"] == len(png)
    thumbnail = artist_client.get(f"/api/pictures/thumbnails/preview-files/{preview_id}.png")
    assert Image.open(io.BytesIO(body_of(thumbnail))).size == (1200, 500)


def test_a_movie_is_stored_as_uploaded_with_its_extension(artist_client, asset_task, comment, stored_files):
    preview_id = add_preview(artist_client, asset_task, comment).json()["id"]
    upload(artist_client, preview_id, picture(), "first.png")
    data = movie(b"qt  ")
    row = upload(artist_client, preview_id, data, "Turntable.MOV").json()
    assert (row["extension"], row["is_movie"], row["file_size"]) == ("mov", True, len(data))
    # The earlier picture and its thumbnail are gone: they would show something else.
    assert stored_files("previews") == [f"previews/originals/{preview_id}.mov"] and stored_files() == []
    served = artist_client.get(f"/api/movies/originals/preview-files/{preview_id}.mov")
    assert served["Content-Type"] == "video/quicktime" and body_of(served) == data
    assert artist_client.get(f"/api/pictures/originals/preview-files/{preview_id}.png").status_code == 404


@pytest.mark.parametrize(
    "data, name, status, says",
    [
        (picture(), "renamed.mp4", 400, "not a .mp4 movie"),
        (movie()[:-100], "cut.mp4", 400, "does not fit"),
        (b"%PDF-1.4 not a picture", "notes.pdf", 400, "not a readable image"),
        (movie(), "clip.avi", 400, "not a readable image"),
    ],
    ids=["picture-renamed-mp4", "truncated-movie", "pdf", "unsupported-container"],
)
def test_what_is_not_a_picture_or_a_movie_is_refused(artist_client, asset_task, comment, stored_files, data, name, status, says):
    preview_id = add_preview(artist_client, asset_task, comment).json()["id"]
    body = assert_json_message(upload(artist_client, preview_id, data, name), status)
    assert says in body["message"] and "file" in body["errors"]
    assert stored_files("previews") == [] and PreviewFile.objects.get(pk=preview_id).extension == ""


def test_an_upload_over_the_limit_is_a_413(artist_client, asset_task, comment, stored_files, settings):
    preview_id = add_preview(artist_client, asset_task, comment).json()["id"]
    settings.MAX_UPLOAD_SIZE = 1000
    assert "upload limit" in assert_json_message(upload(artist_client, preview_id, movie(), "big.mp4"), 413)["message"]
    assert stored_files("previews") == []


def test_main_preview_sets_the_entity_and_its_thumbnail(artist_client, asset_task, comment, stored_files):
    preview_id = add_preview(artist_client, asset_task, comment).json()["id"]
    upload(artist_client, preview_id, picture((900, 600)), "frame.png")
    answer = artist_client.put(f"/api/actions/preview-files/{preview_id}/set-main-preview", {}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["id"], answer.json()["preview_file_id"]) == (str(asset_task.entity_id), preview_id)
    assert str(Entity.objects.get(pk=asset_task.entity_id).preview_file_id) == preview_id
    thumbnail = artist_client.get(f"/api/pictures/thumbnails/assets/{asset_task.entity_id}.png")
    assert Image.open(io.BytesIO(body_of(thumbnail))).size == (150, 100)
    # The entity's row shows it in every list, and no one writes it directly.
    asset = artist_client.get(f"/api/data/assets/{asset_task.entity_id}").json()
    assert asset["preview_file_id"] == preview_id
    admin = client_for(make_person("admin"))
    admin.put(f"/api/data/assets/{asset_task.entity_id}", {"preview_file_id": None}, format="json")
    assert str(Entity.objects.get(pk=asset_task.entity_id).preview_file_id) == preview_id


def test_removing_a_preview_from_its_comment(artist_client, asset_task, comment, stored_files, django_capture_on_commit_callbacks):
    first = add_preview(artist_client, asset_task, comment).json()["id"]
    extra = artist_client.post(f"/api/actions/tasks/{asset_task.id}/comments/{comment.id}/preview-files/{first}").json()
    assert (extra["revision"], extra["comment_id"]) == (1, str(comment.id)) and extra["id"] != first
    upload(artist_client, first, picture(), "frame.png")
    artist_client.put(f"/api/actions/preview-files/{first}/set-main-preview", {}, format="json")
    url = f"/api/actions/tasks/{asset_task.id}/comments/{comment.id}/preview-files/{first}"
    # The stored files go once the deletion is committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert artist_client.delete(url).status_code == 204
    assert not PreviewFile.objects.filter(pk=first).exists()
    assert str(Comment.objects.get(pk=comment.pk).preview_file_id) == extra["id"]
    assert Entity.objects.get(pk=asset_task.entity_id).preview_file_id is None
    assert stored_files("previews") == [] and stored_files() == [f"thumbnails/assets/{asset_task.entity_id}.png"]
    assert_json_message(artist_client.delete(url), 404)


def test_the_lists_hold_the_previews_of_their_row(api_client, production, asset_task, comment):
    shot_task = production["tasks"][0]
    shot_comment = Comment.objects.create(object_id=shot_task.id, text="anim", person=comment.person)
    on_asset = [add_preview(api_client, asset_task, comment).json()["id"] for _ in range(2)]
    on_shot = add_preview(api_client, shot_task, shot_comment).json()["id"]
    task_list = api_client.get(f"/api/data/tasks/{asset_task.id}/previews").json()
    assert [row["id"] for row in task_list] == on_asset[::-1]  # newest revision first
    assert [row["id"] for row in api_client.get(f"/api/data/shots/{shot_task.entity_id}/preview-files").json()] == [on_shot]
    project = api_client.get(f"/api/data/projects/{production['project'].id}/preview-files").json()
    assert {row["id"] for row in project} == {*on_asset, on_shot}
    assert api_client.get(f"/api/data/shots/{asset_task.entity_id}/preview-files").status_code == 404  # an asset


def test_who_may_add_upload_set_and_remove(asset_task, comment, artist, production):
    """The comment's author (while they may act on the task), managers and
    admins change its previews; the other roles are refused, nothing changes."""
    author = client_for(artist)
    preview_id = add_preview(author, asset_task, comment).json()["id"]
    other_artist = make_person("user")
    production["project"].team.add(other_artist)
    asset_task.assignees.add(other_artist)
    supervisor, client = make_person("supervisor"), make_person("client")
    production["project"].team.add(supervisor, client)
    before = row_counts("files", "production")
    for person in (other_artist, supervisor, client):
        refused = client_for(person)
        assert_json_message(add_preview(refused, asset_task, comment), 403)
        assert_json_message(upload(refused, preview_id, picture(), "p.png"), 403)
        url = f"/api/actions/tasks/{asset_task.id}/comments/{comment.id}/preview-files/{preview_id}"
        assert_json_message(refused.delete(url), 403)
        assert_json_message(refused.post(url), 403)
    assert_json_message(client_for(client).put(f"/api/actions/preview-files/{preview_id}/set-main-preview"), 403)
    assert row_counts("files", "production") == before
    assert add_preview(client_for(make_person("manager")), asset_task, comment).status_code == 201
    assert client_for(supervisor).put(f"/api/actions/preview-files/{preview_id}/set-main-preview").status_code == 200


def test_a_task_deleted_with_its_previews_leaves_no_main_preview_behind(api_client, asset_task, comment):
    preview_id = add_preview(api_client, asset_task, comment).json()["id"]
    api_client.put(f"/api/actions/preview-files/{preview_id}/set-main-preview", {}, format="json")
    assert api_client.delete(f"/api/data/tasks/{asset_task.id}?force=true").status_code == 204
    assert not PreviewFile.objects.filter(pk=preview_id).exists()
    assert api_client.get(f"/api/data/assets/{asset_task.entity_id}").json()["preview_file_id"] is None
