"""Table tests of the pure Shotgun mapping: record in, field values out, no database."""

import datetime

import pytest

from imports.shotgun.mapping import (
    ASSET_TYPE,
    DEPARTMENT,
    PROJECT_STATUS,
    TASK_STATUS,
    Link,
    MappingError,
    department_name,
    frame_range,
    map_asset,
    map_note,
    map_person,
    map_project,
    map_sequence,
    map_shot,
    map_status,
    map_step,
    map_task,
    map_version,
    rgb_to_hex,
)

PROJECT = {"type": "Project", "id": 1, "name": "Cosmos Landromat"}


@pytest.mark.parametrize(
    "value, expected",
    [("50,149,253", "#3295fd"), ("183,0,188", "#b700bc"), ("0,0,0", "#000000"), (" 255, 255 ,255", "#ffffff")],
)
def test_rgb_to_hex(value, expected):
    assert rgb_to_hex(value) == expected


@pytest.mark.parametrize("value", ["", "1,2", "1,2,3,4", "256,0,0", "-1,0,0", "red", "#ff0000"])
def test_rgb_to_hex_refuses_what_is_not_r_g_b(value):
    with pytest.raises(MappingError, match="r,g,b"):
        rgb_to_hex(value)


@pytest.mark.parametrize(
    "code, department", [("Modeling Shading", "Modeling"), ("Animation", "Animation"), ("FX  Sim", "FX")]
)
def test_department_is_first_word_of_step_code(code, department):
    assert department_name(code) == department


@pytest.mark.parametrize(
    "cut_in, duration, expected", [(100, 50, (100, 150)), (None, None, (None, None)), (10, None, (10, 10)), (None, 5, (None, None))]
)
def test_frame_range(cut_in, duration, expected):
    assert frame_range(cut_in, duration) == expected


@pytest.mark.parametrize(
    "record, reason",
    [
        ([1, 2], "must be a JSON object"),
        ("shot", "must be a JSON object"),
        ({"name": "No id"}, "no Shotgun id"),
        ({"id": "7", "name": "Text id"}, "no Shotgun id"),
        ({"id": True, "name": "Bool id"}, "no Shotgun id"),
        ({"id": 3}, "'name' is missing"),
        ({"id": 3, "name": "   "}, "'name' is missing"),
    ],
)
def test_record_without_object_id_or_name_is_refused(record, reason):
    with pytest.raises(MappingError, match=reason):
        map_project(record)


@pytest.mark.parametrize(
    "record, fields, links",
    [
        (
            {"id": 1, "name": "Cosmos Landromat", "sg_status": "Active"},
            {"name": "Cosmos Landromat"},
            {"project_status_id": Link("sg_status", PROJECT_STATUS, name="Active")},
        ),
        ({"id": 2, "name": "Big Buck Bunny", "sg_status": None}, {"name": "Big Buck Bunny"}, {"project_status_id": None}),
        ({"id": 3, "name": "No status key"}, {"name": "No status key"}, {}),
    ],
)
def test_map_project(record, fields, links):
    mapped = map_project(record)
    assert (mapped.shotgun_id, mapped.fields, mapped.links) == (record["id"], fields, links)


@pytest.mark.parametrize(
    "record, fields",
    [
        (
            {"id": 1, "email": " John.Doe@Gmail.com ", "firstname": "John", "lastname": "Doe"},
            {"email": "john.doe@gmail.com", "first_name": "John", "last_name": "Doe"},
        ),
        (
            {"id": 2, "email": "a@b.io", "login": "adoe", "sg_status_list": "dis"},
            {"email": "a@b.io", "desktop_login": "adoe", "active": False},
        ),
        ({"id": 3, "email": "c@d.io", "sg_status_list": "act", "firstname": None}, {"email": "c@d.io", "active": True, "first_name": ""}),
    ],
)
def test_map_person(record, fields):
    assert map_person(record).fields == fields


@pytest.mark.parametrize(
    "record, reason", [({"id": 1}, "'email' is missing"), ({"id": 1, "email": "not-an-email"}, "not a valid address")]
)
def test_person_needs_a_valid_email(record, reason):
    with pytest.raises(MappingError, match=reason):
        map_person(record)


def test_map_step_gives_hex_colour_and_department_by_first_word():
    mapped = map_step({"id": 1, "code": "Modeling Shading", "color": "50,149,253", "entity_type": "Shot", "short_name": "MOD"})
    assert mapped.fields == {"name": "Modeling Shading", "color": "#3295fd", "short_name": "MOD", "for_entity": "Shot", "for_shots": True}
    assert mapped.links == {"department_id": Link("code", DEPARTMENT, name="Modeling")}


def test_map_status_takes_code_as_short_name_and_keeps_default_colour_when_none():
    assert map_status({"id": 1, "name": "Approved", "code": "apr", "bg_color": "29,215,46"}).fields == {
        "name": "Approved",
        "short_name": "apr",
        "color": "#1dd72e",
    }
    assert map_status({"id": 3, "name": "On Hold", "code": "hld", "bg_color": None}).fields == {"name": "On Hold", "short_name": "hld"}


@pytest.mark.parametrize("key", ["episode", "sg_episode"])
def test_map_sequence_links_project_and_episode(key):
    mapped = map_sequence({"id": 4, "code": "S01", "description": None, "project": PROJECT, key: {"type": "Episode", "id": 9, "name": "E01"}})
    assert mapped.fields == {"name": "S01", "description": ""}
    assert mapped.links == {
        "project_id": Link("project", "projects", 1, "Cosmos Landromat"),
        "parent_id": Link(key, "episodes", 9, "E01"),
    }


def test_map_asset_type_parents_and_reserved_types():
    mapped = map_asset(
        {"id": 1, "code": "Sheep", "description": "Black sheep", "project": PROJECT, "sg_asset_type": "Character", "parents": [{"type": "Asset", "id": 5, "name": "Flock"}]}
    )
    assert mapped.links["entity_type_id"] == Link("sg_asset_type", ASSET_TYPE, name="Character")
    assert mapped.many == {"parents": [Link("parents", "assets", 5, "Flock")]}
    for reserved in ("Shot", "Sequence", "Episode"):
        with pytest.raises(MappingError, match="not an asset type"):
            map_asset({"id": 1, "code": "X", "project": PROJECT, "sg_asset_type": reserved})
    with pytest.raises(MappingError, match="'sg_asset_type' is missing"):
        map_asset({"id": 1, "code": "X", "project": PROJECT, "sg_asset_type": None})


@pytest.mark.parametrize(
    "cut, data, nb_frames",
    [
        ({"sg_cut_in": 101, "sg_cut_duration": 48}, {"sg_cut_duration": 48, "frame_in": 101, "frame_out": 149}, 48),
        ({"sg_cut_in": None, "sg_cut_duration": None}, {"frame_in": None, "frame_out": None}, None),
        ({}, None, "absent"),
    ],
)
def test_map_shot_frames_custom_data_sequence_and_casting(cut, data, nb_frames):
    record = {
        "id": 1,
        "code": "SH01",
        "project": PROJECT,
        # Exports type this link "Project": the field, not the type, says it is a sequence.
        "sg_sequence": {"type": "Project", "id": 1, "name": "S01"},
        "assets": [{"type": "Character", "id": 1, "name": "Black Sheep"}],
        **cut,
    }
    mapped = map_shot(record)
    assert mapped.links["parent_id"] == Link("sg_sequence", "sequences", 1, "S01")
    assert mapped.many == {"entities_out": [Link("assets", "assets", 1, "Black Sheep")]}
    assert mapped.fields.get("data") == data
    assert mapped.fields.get("nb_frames", "absent") == nb_frames


def test_map_shot_keeps_other_sg_fields_in_data_and_drops_nulls():
    mapped = map_shot({"id": 2, "code": "SH02", "project": PROJECT, "sg_status_list": "ip", "sg_fps": 24, "sg_notes": None})
    assert mapped.fields["data"] == {"sg_status_list": "ip", "sg_fps": 24}


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"id": 1, "code": "SH01"}, "'project' is missing"),
        ({"id": 1, "code": "SH01", "project": "Cosmos"}, "must be a link"),
        ({"id": 1, "code": "SH01", "project": {"type": "Project"}}, "neither an id nor a name"),
        ({"id": 1, "code": "SH01", "project": {"id": "one"}}, "not an integer"),
        ({"id": 1, "code": "SH01", "project": PROJECT, "sg_cut_in": "ten"}, "whole number"),
        ({"id": 1, "code": "SH01", "project": PROJECT, "assets": {"id": 1}}, "list of links"),
    ],
)
def test_map_shot_refuses_malformed_links_and_numbers(record, reason):
    with pytest.raises(MappingError, match=reason):
        map_shot(record)


def test_map_task_reference_record():
    record = {
        "cached_display_name": "Shading",
        "created_by": {"id": 1, "name": "John Doe", "type": "HumanUser"},
        "due_date": "2017-06-30",
        "duration": 90,
        "entity": {"id": 2, "name": "Sheep", "type": "Asset"},
        "id": 76,
        "project": PROJECT,
        "sg_description": None,
        "sg_sort_order": 60,
        "sg_status_list": "wip",
        "start_date": None,
        "step": {"id": 2, "name": "Animation", "type": "Step"},
        "task_assignees": [{"id": 2, "name": "Ema Peel", "type": "HumanUser"}, {"id": 7, "name": "Leads", "type": "Group"}],
        "type": "Task",
    }
    mapped = map_task(record)
    assert mapped.fields == {
        "name": "Shading",
        "description": "",
        "start_date": None,
        "due_date": datetime.date(2017, 6, 30),
        "duration": 90 * 60,
        "sort_order": 60,
    }
    assert mapped.links == {
        "task_type_id": Link("step", "steps", 2, "Animation"),
        "entity_id": Link("entity", "assets", 2, "Sheep"),
        "project_id": Link("project", "projects", 1, "Cosmos Landromat"),
        "task_status_id": Link("sg_status_list", TASK_STATUS, name="wip"),
        "assigner_id": Link("created_by", "persons", 1, "John Doe"),
    }
    # Groups are not persons: they are left out of the assignees.
    assert mapped.many == {"assignees": [Link("task_assignees", "persons", 2, "Ema Peel")]}


@pytest.mark.parametrize(
    "changes, check",
    [
        ({"cached_display_name": None, "content": "Layout"}, lambda m: m.fields["name"] == "Layout"),
        ({"cached_display_name": None}, lambda m: m.fields["name"] == "main"),
        ({"created_by": {"type": "ApiUser", "id": 3, "name": "sync"}}, lambda m: m.links["assigner_id"] is None),
        ({"entity": {"type": "Shot", "id": 4}}, lambda m: m.links["entity_id"] == Link("entity", "shots", 4)),
        ({"project": None}, lambda m: "project_id" not in m.links),
    ],
)
def test_map_task_variants(changes, check):
    base = {"id": 1, "cached_display_name": "Anim", "step": {"type": "Step", "id": 1}, "entity": {"type": "Asset", "id": 1}}
    assert check(map_task({**base, **changes}))


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"step": None}, "'step' is missing"),
        ({"entity": None}, "'entity' is missing"),
        ({"entity": {"type": "Project", "id": 1}}, "only Asset, Shot, Sequence and Episode"),
        ({"start_date": "30/06/2017"}, "YYYY-MM-DD"),
        ({"due_date": "2017-02-30"}, "YYYY-MM-DD"),
    ],
)
def test_map_task_refusals(changes, reason):
    base = {"id": 1, "cached_display_name": "Anim", "step": {"type": "Step", "id": 1}, "entity": {"type": "Asset", "id": 1}}
    with pytest.raises(MappingError, match=reason):
        map_task({**base, **changes})


@pytest.mark.parametrize(
    "movie, url, name, is_movie",
    [
        ({"url": "https://sg/movie.avi", "name": "movie.avi", "type": "Attachment"}, "https://sg/movie.avi", "movie.avi", True),
        ("https://sg/clip.mov", "https://sg/clip.mov", "clip.mov", True),
        (None, "", "", False),
    ],
)
def test_map_version_movie(movie, url, name, is_movie):
    mapped = map_version({"id": 1, "code": "S01_animation", "sg_task": {"type": "Task", "id": 1}, "sg_uploaded_movie": movie})
    assert mapped.fields == {
        "name": "S01_animation",
        "source": "Shotgun",
        "uploaded_movie_url": url,
        "uploaded_movie_name": name,
        "is_movie": is_movie,
    }
    assert mapped.links == {"task_id": Link("sg_task", "tasks", 1)}


def test_map_note_goes_on_first_task_with_its_date():
    mapped = map_note(
        {
            "id": 5,
            "content": "More contrast",
            "user": {"type": "HumanUser", "id": 2},
            "created_at": "2017-06-01T10:20:30",
            "tasks": [{"type": "Task", "id": 76}, {"type": "Task", "id": 1}],
        }
    )
    assert mapped.fields == {
        "object_type": "Task",
        "text": "More contrast",
        "created_at": datetime.datetime(2017, 6, 1, 10, 20, 30, tzinfo=datetime.timezone.utc),
    }
    assert mapped.links == {"object_id": Link("tasks", "tasks", 76), "person_id": Link("user", "persons", 2)}
    with pytest.raises(MappingError, match="'tasks' is empty"):
        map_note({"id": 6, "content": "Orphan", "tasks": []})
