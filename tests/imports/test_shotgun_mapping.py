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

PROJECT = {"type": "Project", "id": 71, "name": "Harbour Lights"}


@pytest.mark.parametrize(
    "value, expected",
    [("64,128,192", "#4080c0"), ("200,90,20", "#c85a14"), ("0,0,0", "#000000"), (" 255, 255 ,255", "#ffffff")],
)
def test_rgb_to_hex(value, expected):
    assert rgb_to_hex(value) == expected


@pytest.mark.parametrize("value", ["", "1,2", "1,2,3,4", "256,0,0", "-1,0,0", "red", "#ff0000"])
def test_rgb_to_hex_refuses_what_is_not_r_g_b(value):
    with pytest.raises(MappingError, match="r,g,b"):
        rgb_to_hex(value)


@pytest.mark.parametrize(
    "code, department", [("Modeling Surfacing", "Modeling"), ("Animation", "Animation"), ("FX  Sim", "FX")]
)
def test_department_is_first_word_of_step_code(code, department):
    assert department_name(code) == department


@pytest.mark.parametrize(
    "cut_in, duration, expected", [(100, 50, (100, 149)), (1, 1, (1, 1)), (None, None, (None, None)), (10, None, (10, None)), (None, 5, (None, None))]
)
def test_frame_range(cut_in, duration, expected):
    # Inclusive, as the admin and the CSV count: 50 frames from 100 end on 149.
    assert frame_range(cut_in, duration) == expected


@pytest.mark.parametrize("duration", [0, -3])
def test_a_cut_of_no_frames_is_refused_naming_its_field(duration):
    with pytest.raises(MappingError, match="sg_cut_duration"):
        frame_range(100, duration)


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
            {"id": 71, "name": "Harbour Lights", "sg_status": "Active"},
            {"name": "Harbour Lights"},
            {"project_status_id": Link("sg_status", PROJECT_STATUS, name="Active")},
        ),
        ({"id": 72, "name": "Paper Moths", "sg_status": None}, {"name": "Paper Moths"}, {"project_status_id": None}),
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
            {"id": 201, "email": " Mina.Okafor@Lanternfish.Studio ", "firstname": "Mina", "lastname": "Okafor"},
            {"email": "mina.okafor@lanternfish.studio", "first_name": "Mina", "last_name": "Okafor"},
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
    mapped = map_step({"id": 11, "code": "Modeling Surfacing", "color": "64,128,192", "entity_type": "Shot", "short_name": "MOD"})
    assert mapped.fields == {"name": "Modeling Surfacing", "color": "#4080c0", "short_name": "MOD", "for_entity": "Shot", "for_shots": True}
    assert mapped.links == {"department_id": Link("code", DEPARTMENT, name="Modeling")}


def test_map_status_takes_code_as_short_name_and_keeps_default_colour_when_none():
    assert map_status({"id": 31, "name": "Approved", "code": "apr", "bg_color": "40,200,90"}).fields == {
        "name": "Approved",
        "short_name": "apr",
        "color": "#28c85a",
    }
    assert map_status({"id": 3, "name": "On Hold", "code": "hld", "bg_color": None}).fields == {"name": "On Hold", "short_name": "hld"}


@pytest.mark.parametrize("key", ["episode", "sg_episode"])
def test_map_sequence_links_project_and_episode(key):
    mapped = map_sequence({"id": 401, "code": "HL010", "description": None, "project": PROJECT, key: {"type": "Episode", "id": 91, "name": "EP01"}})
    assert mapped.fields == {"name": "HL010", "description": ""}
    assert mapped.links == {
        "project_id": Link("project", "projects", 71, "Harbour Lights"),
        "parent_id": Link(key, "episodes", 91, "EP01"),
    }


def test_map_asset_type_parents_and_reserved_types():
    mapped = map_asset(
        {"id": 501, "code": "Keeper", "description": "Old keeper", "project": PROJECT, "sg_asset_type": "Character", "parents": [{"type": "Asset", "id": 531, "name": "Jetty"}]}
    )
    assert mapped.links["entity_type_id"] == Link("sg_asset_type", ASSET_TYPE, name="Character")
    assert mapped.many == {"parents": [Link("parents", "assets", 531, "Jetty")]}
    for reserved in ("Shot", "Sequence", "Episode"):
        with pytest.raises(MappingError, match="not an asset type"):
            map_asset({"id": 1, "code": "X", "project": PROJECT, "sg_asset_type": reserved})
    with pytest.raises(MappingError, match="'sg_asset_type' is missing"):
        map_asset({"id": 1, "code": "X", "project": PROJECT, "sg_asset_type": None})


@pytest.mark.parametrize(
    "cut, data, nb_frames",
    [
        ({"sg_cut_in": 101, "sg_cut_duration": 48}, {"sg_cut_duration": 48, "frame_in": 101, "frame_out": 148}, 48),
        ({"sg_cut_in": None, "sg_cut_duration": None}, {"frame_in": None, "frame_out": None}, None),
        ({}, None, "absent"),
    ],
)
def test_map_shot_frames_custom_data_sequence_and_casting(cut, data, nb_frames):
    record = {
        "id": 601,
        "code": "HL010_0010",
        "project": PROJECT,
        # Exports type this link "Project": the field, not the type, says it is a sequence.
        "sg_sequence": {"type": "Project", "id": 401, "name": "HL010"},
        "assets": [{"type": "Character", "id": 501, "name": "The Keeper"}],
        **cut,
    }
    mapped = map_shot(record)
    assert mapped.links["parent_id"] == Link("sg_sequence", "sequences", 401, "HL010")
    assert mapped.many == {"entities_out": [Link("assets", "assets", 501, "The Keeper")]}
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


def test_map_task_record_of_the_fixture_export():
    record = {
        "cached_display_name": "Blocking",
        "created_by": {"id": 201, "name": "Mina Okafor", "type": "HumanUser"},
        "due_date": "2026-02-27",
        "duration": 90,
        "entity": {"id": 502, "name": "Gull", "type": "Asset"},
        "id": 7076,
        "project": PROJECT,
        "sg_description": None,
        "sg_sort_order": 50,
        "sg_status_list": "wip",
        "start_date": None,
        "step": {"id": 12, "name": "Layout", "type": "Step"},
        "task_assignees": [{"id": 202, "name": "Theo Brandt", "type": "HumanUser"}, {"id": 7, "name": "Leads", "type": "Group"}],
        "type": "Task",
    }
    mapped = map_task(record)
    assert mapped.fields == {
        "name": "Blocking",
        "description": "",
        "start_date": None,
        "due_date": datetime.date(2026, 2, 27),
        "duration": 90 * 60,
        "sort_order": 50,
    }
    assert mapped.links == {
        "task_type_id": Link("step", "steps", 12, "Layout"),
        "entity_id": Link("entity", "assets", 502, "Gull"),
        "project_id": Link("project", "projects", 71, "Harbour Lights"),
        "task_status_id": Link("sg_status_list", TASK_STATUS, name="wip"),
        "assigner_id": Link("created_by", "persons", 201, "Mina Okafor"),
    }
    # Groups are not persons: they are left out of the assignees.
    assert mapped.many == {"assignees": [Link("task_assignees", "persons", 202, "Theo Brandt")]}


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
        ({"url": "https://sg/hl010_v001.avi", "name": "hl010_v001.avi", "type": "Attachment"}, "https://sg/hl010_v001.avi", "hl010_v001.avi", True),
        ("https://sg/clip.mov", "https://sg/clip.mov", "clip.mov", True),
        (None, "", "", False),
    ],
)
def test_map_version_movie(movie, url, name, is_movie):
    mapped = map_version({"id": 801, "code": "HL010_0010_sculpt_v001", "sg_task": {"type": "Task", "id": 7001}, "sg_uploaded_movie": movie})
    assert mapped.fields == {
        "name": "HL010_0010_sculpt_v001",
        "source": "Shotgun",
        "uploaded_movie_url": url,
        "uploaded_movie_name": name,
        "is_movie": is_movie,
    }
    assert mapped.links == {"task_id": Link("sg_task", "tasks", 7001)}


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
