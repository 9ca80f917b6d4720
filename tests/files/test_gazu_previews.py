"""gazu 1.3.1, unchanged, publishing previews and recording an entity's files
against a live server (issue 15): real pictures and a real small movie go up
and come back, and every call's rows are checked."""

import gazu
import pytest
from PIL import Image

from files.models import OutputFile, OutputType, PreviewFile, WorkingFile
from production.models import Comment, Entity, Task
from tests.files.media import movie, picture

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def artist(gazu_as, production, asset_task, media_root):
    """An artist of the team, logged in through gazu, assigned to the asset task."""
    person = gazu_as("user", email="artist@studio.test", first_name="Art", last_name="Ist")
    production["project"].team.add(person)
    asset_task.assignees.add(person)
    return person


@pytest.fixture
def files(tmp_path):
    """A picture and a movie on disk, as a TD's script would publish them."""
    still, clip = tmp_path / "frame.png", tmp_path / "turntable.mp4"
    still.write_bytes(picture((1920, 1080)))
    clip.write_bytes(movie())
    return {"picture": still, "movie": clip, "out": tmp_path}


def test_publish_preview_end_to_end(artist, asset_task, files):
    wip = gazu.task.get_task_status_by_short_name("wip")
    comment, preview = gazu.task.publish_preview(
        str(asset_task.id), wip, comment="Leaves done", preview_file_path=str(files["picture"]), set_thumbnail=True
    )
    assert comment["task_status_id"] == wip["id"] and comment["text"] == "Leaves done"
    assert Task.objects.get(pk=asset_task.pk).task_status.short_name == "wip"
    assert (preview["revision"], preview["extension"], preview["comment_id"]) == (1, "png", comment["id"])
    assert str(Comment.objects.get(pk=comment["id"]).preview_file_id) == preview["id"]
    assert str(Entity.objects.get(pk=asset_task.entity_id).preview_file_id) == preview["id"]

    assert gazu.files.get_preview_file(preview["id"])["extension"] == "png"
    url = gazu.files.get_preview_file_url(preview)
    assert url == f"pictures/originals/preview-files/{preview['id']}.png"
    gazu.files.download_preview_file(preview, str(files["out"] / "original.png"))
    assert Image.open(files["out"] / "original.png").size == (1920, 1080)
    gazu.files.download_preview_file_cover(preview, str(files["out"] / "cover.png"))
    assert (files["out"] / "cover.png").read_bytes() == (files["out"] / "original.png").read_bytes()
    gazu.files.download_preview_file_thumbnail(preview, str(files["out"] / "thumbnail.png"))
    assert Image.open(files["out"] / "thumbnail.png").size == (1200, 675)
    assert gazu.files.wait_for_preview_file(preview, timeout=1)["id"] == preview["id"]


def test_a_movie_preview_and_the_revisions(artist, asset_task, files, production):
    todo = gazu.task.get_task_status_by_short_name("todo")
    comment = gazu.task.add_comment(str(asset_task.id), todo, "turntable")
    empty = gazu.task.create_preview(str(asset_task.id), comment)
    assert (empty["revision"], empty["extension"], empty["task_id"]) == (1, "", str(asset_task.id))
    clip = gazu.task.upload_preview_file(empty, str(files["movie"]), normalize_movie=False)
    assert (clip["id"], clip["extension"], clip["is_movie"]) == (empty["id"], "mp4", True)
    assert gazu.files.get_preview_file_url(clip) == f"movies/originals/preview-files/{clip['id']}.mp4"
    assert gazu.files.get_preview_movie_url(clip) == f"movies/originals/preview-files/{clip['id']}.mp4"
    gazu.files.download_preview_movie(clip, str(files["out"] / "back.mp4"))
    assert (files["out"] / "back.mp4").read_bytes() == files["movie"].read_bytes()
    gazu.files.download_preview_file(clip, str(files["out"] / "again.mp4"))
    assert (files["out"] / "again.mp4").read_bytes() == files["movie"].read_bytes()

    second = gazu.task.add_preview(str(asset_task.id), comment, preview_file_path=str(files["picture"]))
    extra = gazu.task.add_extra_preview(str(asset_task.id), comment, second, preview_file_path=str(files["picture"]))
    given = gazu.task.create_preview(str(asset_task.id), comment, revision=12)
    assert [second["revision"], extra["revision"], given["revision"]] == [2, 2, 12]
    assert extra["id"] != second["id"] and extra["extension"] == "png"

    ids = [row["id"] for row in gazu.task.all_previews_for_task(str(asset_task.id))]
    assert ids[0] == given["id"] and set(ids) == {clip["id"], second["id"], extra["id"], given["id"]}
    assert {row["id"] for row in gazu.files.get_all_preview_files_for_task(str(asset_task.id))} == set(ids)
    project = {row["id"] for row in gazu.task.all_preview_files_for_project(str(production["project"].id))}
    assert project == set(ids)
    assert gazu.shot.all_previews_for_shot(str(production["shots"][0].id)) == []

    entity = gazu.task.set_main_preview(second)
    assert entity["id"] == str(asset_task.entity_id) and entity["preview_file_id"] == second["id"]
    gazu.task.remove_preview_from_comment(str(asset_task.id), comment, second)
    assert not PreviewFile.objects.filter(pk=second["id"]).exists()
    assert Entity.objects.get(pk=asset_task.entity_id).preview_file_id is None


def test_shot_previews_and_removal_by_a_manager(gazu_as, production, files, media_root):
    gazu_as("manager")
    shot_task = production["tasks"][0]
    wip = gazu.task.get_task_status_by_short_name("wip")
    _, preview = gazu.task.publish_preview(str(shot_task.id), wip, preview_file_path=str(files["movie"]))
    assert [row["id"] for row in gazu.shot.all_previews_for_shot(str(shot_task.entity_id))] == [preview["id"]]
    # Editing a preview's row is the production's job (the CRUD route: managers and admins).
    assert gazu.files.update_preview(preview, {"description": "retake"})["description"] == "retake"
    gazu.files.remove_preview_file(preview, force=True)
    assert gazu.shot.all_previews_for_shot(str(shot_task.entity_id)) == []
    geometry = gazu.files.new_output_type("Geometry", "geo")
    output = gazu.files.new_entity_output_file(str(shot_task.entity_id), geometry, str(shot_task.task_type_id), "")
    assert gazu.files.update_output_file(output, {"description": "approved"})["description"] == "approved"
    assert OutputFile.objects.get(pk=output["id"]).description == "approved"


def test_the_files_of_an_entity(artist, asset_task, simple_tree, production):
    entity, task_type = str(asset_task.entity_id), str(asset_task.task_type_id)
    OutputType.objects.create(name="Geometry", short_name="geo")  # reference data: the production's
    geometry = gazu.files.get_output_type_by_name("Geometry")
    folder = "/simple/productions/export/cosmos_landromat/assets/props/tree/shaders/geometry"
    path = gazu.files.build_entity_output_file_path(entity, geometry, task_type)
    assert path == f"{folder}/cosmos_landromat_props_tree_shaders_geometry_v001"
    working = gazu.files.new_working_file(str(asset_task.id), name="main")
    first = gazu.files.new_entity_output_file(entity, geometry, task_type, "Fix flicker!", working_file=working)
    assert (first["revision"], first["source_file_id"], first["task_id"]) == (1, working["id"], str(asset_task.id))
    assert first["path"] == f"{folder}/cosmos_landromat_props_tree_shaders_geometry_v001_fix_flicker"
    second = gazu.files.new_entity_output_file(entity, geometry, task_type, "", representation="abc", nb_elements=48)
    assert (second["revision"], second["representation"], second["nb_elements"]) == (2, "abc", 48)
    assert gazu.files.get_last_entity_output_revision(entity, geometry, task_type) == 2
    assert gazu.files.build_entity_output_file_path(entity, geometry, task_type).endswith("_v003")

    listed = gazu.files.all_output_files_for_entity(entity, output_type=geometry, task_type=task_type)
    assert [row["id"] for row in listed] == [second["id"], first["id"]]
    assert [r["id"] for r in gazu.files.all_output_files_for_entity(entity, representation="abc")] == [second["id"]]
    last = gazu.files.get_last_output_files_for_entity(entity)
    assert sorted(row["id"] for row in last) == sorted([first["id"], second["id"]])  # names differ: main, main/abc
    assert [row["id"] for row in gazu.files.all_output_types_for_entity(entity)] == [geometry["id"]]
    project = gazu.files.all_output_files_for_project(str(production["project"].id), output_type=geometry)
    assert {row["id"] for row in project} == {first["id"], second["id"]}
    assert gazu.files.get_output_file(first["id"])["comment"] == "Fix flicker!"
    assert gazu.files.get_output_file_by_path(first["path"])["id"] == first["id"]
    assert OutputFile.objects.get(pk=first["id"]).person_id == artist.id

    assert [row["id"] for row in gazu.files.get_all_working_files_for_entity(entity)] == [working["id"]]
    assert gazu.files.get_all_working_files_for_entity(entity, task=str(asset_task.id), name="layout") == []
    before = WorkingFile.objects.get(pk=working["id"]).updated_at
    touched = gazu.files.update_modification_date(working)
    assert touched["id"] == working["id"] and WorkingFile.objects.get(pk=working["id"]).updated_at > before
