"""Shotgun import over HTTP: the fixture export's records, idempotence, updates,
per-record errors, refused bodies, dry runs, dialects and flat query counts."""

import copy
import json

import pytest
from django.forms.models import model_to_dict

from files.models import PreviewFile
from imports.models import DataImportError
from imports.shotgun.kinds import standard_tree
from imports.shotgun.mapping import KINDS
from production.models import (
    Asset,
    Comment,
    Department,
    Episode,
    Person,
    Project,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
)
from tests.factories import make_person
from tests.helpers import FIXTURES_DIR, assert_query_baseline, client_for

SHOTGUN_DIR = FIXTURES_DIR / "shotgun"


def fixture_records(kind):
    return json.loads((SHOTGUN_DIR / f"{kind}.json").read_text())


def post(client, kind, body, prefix="data/import/shotgun", query=""):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(f"/api/{prefix}/{kind}{query}", data=raw, content_type="application/json")


def import_fixture_export(client):
    answers = {}
    for kind in KINDS:
        if (SHOTGUN_DIR / f"{kind}.json").exists():
            response = post(client, kind, fixture_records(kind))
            assert response.status_code == 200, response.content
            answers[kind] = response.json()
    return answers


def snapshot():
    """Every imported row's values (updated_at included), to compare two states."""
    models = (Project, Person, TaskType, TaskStatus, Shot, Sequence, Asset, Task, PreviewFile)
    rows = {model.__name__: sorted((model_to_dict(row) | {"updated_at": row.updated_at} for row in model.objects.all()), key=str) for model in models}
    rows["casting"] = sorted((str(s.id), sorted(str(a.id) for a in s.entities_out.all())) for s in Shot.objects.all())
    return rows


@pytest.fixture
def imported(api_client):
    return import_fixture_export(api_client)


def test_fixture_export_gives_the_rows_and_links_it_describes(imported):
    assert {kind: (a["created"], a["updated"], a["errors"]) for kind, a in imported.items()} == {
        "projects": (2, 0, []),
        "persons": (2, 0, []),
        "steps": (2, 0, []),
        # "wip" already exists as a default status: it is adopted, not duplicated.
        "status": (5, 1, []),
        "sequences": (3, 0, []),
        "assets": (2, 0, []),
        "shots": (1, 0, []),
        "tasks": (2, 0, []),
        "versions": (1, 0, []),
    }
    harbour = Project.objects.get(shotgun_id=71)
    assert (harbour.name, harbour.project_status.name) == ("Harbour Lights", "Active")
    assert Project.objects.get(shotgun_id=72).project_status.name == "On Hold"
    assert harbour.file_tree == standard_tree() and harbour.file_tree is not None

    mina, theo = Person.objects.get(shotgun_id=201), Person.objects.get(shotgun_id=202)
    assert (mina.first_name, mina.last_name, mina.email) == ("Mina", "Okafor", "mina.okafor@lanternfish.studio")
    assert theo.email == "theo.brandt@lanternfish.studio" and not theo.has_usable_password()

    surfacing, layout = TaskType.objects.get(shotgun_id=11), TaskType.objects.get(shotgun_id=12)
    assert (surfacing.name, surfacing.color, surfacing.department.name) == ("Modeling Surfacing", "#4080c0", "Modeling")
    assert (layout.name, layout.color, layout.department.name) == ("Layout", "#c85a14", "Layout")

    statuses = {s.short_name: (s.name, s.color, s.shotgun_id) for s in TaskStatus.objects.filter(shotgun_id__isnull=False)}
    assert statuses == {
        "apr": ("Approved", "#28c85a", 31),
        "fin": ("Final", "#787878", 32),
        "hld": ("On Hold", "#FFFFFF", 33),
        "wip": ("Working", "#dcdcdc", 34),
        "lay": ("Layout Ready", "#faf0c8", 35),
        "crit": ("Client Review", "#96dcaa", 36),
    }
    assert TaskStatus.objects.filter(short_name="wip").count() == 1

    assert sorted(Sequence.objects.filter(project=harbour).values_list("name", flat=True)) == ["HL010", "HL020", "HL030"]
    keeper, gull = Asset.objects.get(shotgun_id=501), Asset.objects.get(shotgun_id=502)
    assert (keeper.name, keeper.description, keeper.entity_type.name, keeper.project) == (
        "Keeper", "Old keeper with a storm lantern", "Character", harbour,
    )
    assert (gull.name, gull.description, gull.entity_type.name) == ("Gull", "", "Character")

    shot = Shot.objects.get(shotgun_id=601)
    # The sequence link is typed "Project" in the export, the asset link names "The Keeper" and
    # the assets' and tasks' project links name "Harbor Lights": ids decide.
    assert (shot.name, shot.parent.name, shot.project) == ("HL010_0010", "HL010", harbour)
    assert shot.data == {"frame_in": None, "frame_out": None}
    assert list(shot.entities_out.all()) == [keeper]

    sculpt, blocking = Task.objects.get(shotgun_id=7001), Task.objects.get(shotgun_id=7076)
    assert (sculpt.name, sculpt.task_type, sculpt.task_status.short_name, sculpt.entity) == ("Sculpt", surfacing, "wip", keeper)
    assert (sculpt.assigner, list(sculpt.assignees.all()), sculpt.sort_order) == (mina, [], 30)
    assert (blocking.name, blocking.task_type, blocking.entity, blocking.project) == ("Blocking", layout, gull, harbour)
    assert list(blocking.assignees.all()) == [theo]

    preview = PreviewFile.objects.get(shotgun_id=801)
    assert (preview.name, preview.description, preview.task, preview.source) == (
        "HL010_0010_sculpt_v001", "First sculpt pass", sculpt, "Shotgun",
    )
    assert (preview.uploaded_movie_url, preview.uploaded_movie_name, preview.is_movie) == (
        "https://media.lanternfish.studio/hl010_0010_sculpt_v001.mov",
        "hl010_0010_sculpt_v001.mov",
        True,
    )


def test_answer_rows_are_plain_rows_with_type_and_links(imported):
    task_row = next(row for row in imported["tasks"]["data"] if row["shotgun_id"] == 7076)
    task = Task.objects.get(shotgun_id=7076)
    assert task_row["type"] == "Task"
    assert task_row["id"] == str(task.id)
    assert (task_row["entity_id"], task_row["task_type_id"], task_row["project_id"]) == (
        str(task.entity_id),
        str(task.task_type_id),
        str(task.project_id),
    )
    assert task_row["assignees"] == [str(Person.objects.get(shotgun_id=202).id)]
    person_row = imported["persons"]["data"][0]
    assert person_row["type"] == "Person" and "password" not in person_row
    assert imported["shots"]["data"][0]["entities_out"] == [str(Asset.objects.get(shotgun_id=501).id)]


def test_importing_again_changes_nothing(api_client, imported):
    before = snapshot()
    again = import_fixture_export(api_client)
    for kind, answer in again.items():
        assert (answer["created"], answer["updated"], answer["errors"]) == (0, 0, []), kind
        assert answer["unchanged"] == len(fixture_records(kind))
    assert snapshot() == before


@pytest.mark.parametrize("update_batch", [None, 0])
def test_reimport_updates_shot_code_description_cut_and_task_assignees(api_client, imported, monkeypatch, update_batch):
    """With update_batch 0, every update goes as past UPDATE_BATCH rows: one UPDATE … FROM a copied table."""
    if update_batch is not None:
        monkeypatch.setattr("imports.shotgun.importer.UPDATE_BATCH", update_batch)
    shot_id = Shot.objects.get(shotgun_id=601).id
    shots = fixture_records("shots")
    shots[0].update(code="HL010_0010b", description="Wide", sg_cut_in=101, sg_cut_duration=24, sg_fps=25)
    answer = post(api_client, "shots", shots).json()
    assert (answer["created"], answer["updated"]) == (0, 1)
    shot = Shot.objects.get(shotgun_id=601)
    assert (shot.id, shot.name, shot.description, shot.nb_frames) == (shot_id, "HL010_0010b", "Wide", 24)
    assert shot.data == {"frame_in": 101, "frame_out": 124, "sg_cut_duration": 24, "sg_fps": 25}

    # Re-importing without the custom field keeps it: data is merged, not replaced.
    shots[0].pop("sg_fps")
    shots[0]["sg_cut_in"] = 201
    post(api_client, "shots", shots)
    assert Shot.objects.get(shotgun_id=601).data == {"frame_in": 201, "frame_out": 224, "sg_cut_duration": 24, "sg_fps": 25}

    tasks = fixture_records("tasks")
    tasks[0]["task_assignees"] = [{"type": "HumanUser", "id": 201, "name": "Mina Okafor"}, {"type": "HumanUser", "id": 202, "name": "Theo Brandt"}]
    tasks[1]["task_assignees"] = []
    answer = post(api_client, "tasks", tasks).json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (0, 2, 0)
    assert sorted(Task.objects.get(shotgun_id=7001).assignees.values_list("email", flat=True)) == [
        "mina.okafor@lanternfish.studio",
        "theo.brandt@lanternfish.studio",
    ]
    assert list(Task.objects.get(shotgun_id=7076).assignees.all()) == []
    assert Task.objects.count() == 2


def test_record_with_unknown_link_is_reported_and_stored_while_the_rest_imports(api_client, imported):
    shots = [
        {"type": "Shot", "id": 602, "code": "HL020_0010", "project": {"type": "Project", "id": 71}, "sg_sequence": {"type": "Sequence", "id": 402}},
        {"type": "Shot", "id": 603, "code": "HL020_0020", "project": {"type": "Project", "id": 71}, "sg_sequence": {"type": "Sequence", "id": 499, "name": "HL990"}},
        {"type": "Shot", "id": 604, "code": "HL020_0030", "project": {"type": "Project", "id": 71}, "assets": [{"type": "Asset", "id": 404}]},
    ]
    answer = post(api_client, "shots", shots).json()
    assert answer["created"] == 1
    assert answer["errors"] == [
        {"index": 1, "id": 603, "type": "Shot", "reason": "'sg_sequence': no sequence with Shotgun id 499 or named 'HL990'."},
        {"index": 2, "id": 604, "type": "Shot", "reason": "'assets': no asset with Shotgun id 404."},
    ]
    assert [row["name"] for row in answer["data"]] == ["HL020_0010"]
    assert not Shot.objects.filter(shotgun_id__in=[603, 604]).exists()
    stored = DataImportError.objects.get(event_data__id=603)
    assert stored.source == "shotgun"
    assert stored.event_data["code"] == "HL020_0020"
    assert stored.event_data["reason"] == answer["errors"][0]["reason"]
    assert (stored.event_data["import_kind"], stored.event_data["index"]) == ("shots", 1)


def test_records_that_are_not_objects_or_lack_an_id_are_per_record_errors(api_client, imported):
    answer = post(api_client, "sequences", [42, {"code": "HL090", "project": {"id": 71}}, {"id": 409, "code": "HL090", "project": {"id": 71}}]).json()
    assert answer["created"] == 1
    assert [(e["index"], e["id"], e["reason"]) for e in answer["errors"]] == [
        (0, None, "A record must be a JSON object."),
        (1, None, "The record has no Shotgun id (an integer 'id')."),
    ]
    assert DataImportError.objects.filter(event_data__record=42).exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ('[{"id": 1, "name": "Broken"', "JSON parse error"),
        ('{"id": 1, "name": "Not an array"}', "must be a JSON array"),
        ('"projects"', "must be a JSON array"),
        ("", "must be a JSON array"),
    ],
)
def test_malformed_json_or_a_body_that_is_not_an_array_is_400_and_writes_nothing(api_client, body, message):
    response = post(api_client, "projects", body)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not Project.objects.filter(shotgun_id__isnull=False).exists()
    assert not DataImportError.objects.exists()


@pytest.mark.parametrize("query, wrap", [("?dry_run=true", False), ("", True)])
def test_dry_run_reports_and_writes_nothing(api_client, query, wrap):
    records = fixture_records("projects") + [{"type": "Project", "id": 73}]
    body = {"records": records, "dry_run": True} if wrap else records
    answer = post(api_client, "projects", body, query=query).json()
    assert (answer["created"], answer["updated"], answer["dry_run"]) == (2, 0, True)
    assert [e["index"] for e in answer["errors"]] == [2]
    assert [row["name"] for row in answer["data"]] == ["Harbour Lights", "Paper Moths"]
    assert not Project.objects.exists()
    assert not DataImportError.objects.exists()
    assert not TaskStatus.objects.none().exists()


def test_both_url_dialects_and_a_trailing_slash(api_client):
    assert post(api_client, "projects", fixture_records("projects"), prefix="import/shotgun").json()["created"] == 2
    assert post(api_client, "persons/", fixture_records("persons")).json()["created"] == 2
    assert post(api_client, "steps/", fixture_records("steps"), prefix="import/shotgun").json()["created"] == 2


def test_unknown_kind_is_404(api_client):
    response = post(api_client, "playlists", [])
    assert response.status_code == 404
    assert "Unknown Shotgun kind 'playlists'" in response.json()["message"]


def test_imports_are_for_managers_and_admins(db, anon_client):
    assert post(anon_client, "projects", fixture_records("projects")).status_code == 401
    for role in ("user", "supervisor", "client"):
        response = post(client_for(make_person(role)), "projects", fixture_records("projects"))
        assert response.status_code == 403
        assert "message" in response.json()
    assert not Project.objects.exists()
    assert post(client_for(make_person("manager")), "projects", fixture_records("projects")).json()["created"] == 2


def test_rows_made_by_hand_are_adopted_and_linked_by_name(api_client):
    hand_made = Project.objects.create(name="Harbour Lights")
    answer = post(api_client, "projects", fixture_records("projects")).json()
    assert (answer["created"], answer["updated"]) == (1, 1)
    hand_made.refresh_from_db()
    assert hand_made.shotgun_id == 71

    # A link whose id is unknown falls back to its name, among rows with no Shotgun id only.
    Sequence.objects.create(name="HL070", project=hand_made)
    answer = post(api_client, "shots", [{"id": 607, "code": "HL070_0010", "project": {"id": 71}, "sg_sequence": {"id": 470, "name": "HL070"}}]).json()
    assert answer["errors"] == []
    assert Shot.objects.get(shotgun_id=607).parent.name == "HL070"


def test_batch_duplicates_and_clashes_are_reported(api_client, imported):
    project = {"type": "Project", "id": 71}
    sequence = {"type": "Sequence", "id": 401}
    answer = post(
        api_client,
        "shots",
        [
            {"id": 610, "code": "HL010_0100", "project": project, "sg_sequence": sequence},
            {"id": 610, "code": "HL010_0100 again", "project": project, "sg_sequence": sequence},
            {"id": 611, "code": "HL010_0100", "project": project, "sg_sequence": sequence},
            {"id": 612, "code": "HL010_0010", "project": project, "sg_sequence": sequence},
            {"id": 613, "code": "X" * 200, "project": project},
            {"id": 614, "code": "HL010_0140", "project": {"id": 72}, "sg_sequence": sequence},
        ],
    ).json()
    assert answer["created"] == 1
    reasons = {e["index"]: e["reason"] for e in answer["errors"]}
    assert reasons[1] == "Shotgun id 610 was already sent at index 0."
    assert reasons[2].startswith("The record at index 0 has the same name 'HL010_0100'")
    assert "already exists with Shotgun id 601" in reasons[3]
    assert reasons[4] == "'name' is longer than 160 characters."
    assert reasons[5] == "'sg_sequence' links a sequence of another project."

    # A shot renamed onto the name another shot holds is refused, the other kept.
    renamed = post(api_client, "shots", [{"id": 601, "code": "HL010_0100", "project": project, "sg_sequence": sequence}]).json()
    assert "already exists with Shotgun id 610" in renamed["errors"][0]["reason"]
    assert Shot.objects.get(shotgun_id=601).name == "HL010_0010"


def test_episodes_sequences_asset_parents_and_notes(api_client, imported):
    project = {"type": "Project", "id": 71}
    assert post(api_client, "episodes", [{"type": "Episode", "id": 91, "code": "EP01", "project": project}]).json()["created"] == 1
    answer = post(api_client, "sequences", [{"id": 420, "code": "HL200", "project": project, "episode": {"type": "Episode", "id": 91}}]).json()
    assert Sequence.objects.get(shotgun_id=420).parent == Episode.objects.get(shotgun_id=91)
    assert answer["data"][0]["parent_id"] == str(Episode.objects.get(shotgun_id=91).id)

    # A parent may come later in the same batch; a child of a failing parent fails too.
    assets = [
        {"id": 530, "code": "Rope", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 531}]},
        {"id": 531, "code": "Jetty", "project": project, "sg_asset_type": "Set", "parents": [{"type": "Asset", "id": 501}]},
        {"id": 532, "code": "Fog", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 533}]},
        {"id": 533, "code": "Mist", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 999}]},
    ]
    answer = post(api_client, "assets", assets).json()
    assert [(e["index"], e["reason"]) for e in answer["errors"]] == [
        (2, "'parents': the asset with Shotgun id 533 could not be imported."),
        (3, "'parents': no asset with Shotgun id 999."),
    ]
    jetty, rope, keeper = (Asset.objects.get(shotgun_id=i) for i in (531, 530, 501))
    assert list(jetty.entities_out.all()) == [rope]
    assert list(keeper.entities_out.all()) == [jetty]
    assert post(api_client, "assets", assets[:2]).json()["unchanged"] == 2

    notes = [
        {"type": "Note", "id": 901, "content": "Darker beam", "user": {"type": "HumanUser", "id": 202}, "created_at": "2026-02-04T16:30:00Z", "tasks": [{"type": "Task", "id": 7076}]},
        {"type": "Note", "id": 902, "content": "Lost", "tasks": [{"type": "Task", "id": 5000}]},
    ]
    answer = post(api_client, "notes", notes).json()
    assert (answer["created"], [e["id"] for e in answer["errors"]]) == (1, [902])
    comment = Comment.objects.get(shotgun_id=901)
    task = Task.objects.get(shotgun_id=7076)
    assert (comment.object_id, comment.object_type, comment.text, comment.person.email) == (
        task.id, "Task", "Darker beam", "theo.brandt@lanternfish.studio",
    )
    assert comment.created_at.isoformat() == "2026-02-04T16:30:00+00:00"
    assert post(api_client, "notes", notes[:1]).json()["unchanged"] == 1


def test_task_without_status_gets_the_default_and_a_step_department_is_made_once(api_client, imported):
    tasks = copy.deepcopy(fixture_records("tasks"))
    new = {**tasks[0], "id": 7500, "cached_display_name": "Retopology", "sg_status_list": None, "duration": 30}
    answer = post(api_client, "tasks", [new]).json()
    assert answer["errors"] == []
    task = Task.objects.get(shotgun_id=7500)
    assert (task.task_status.short_name, task.duration) == ("todo", 1800)
    post(api_client, "steps", [{"id": 19, "code": "Modeling Retopo", "color": "1,2,3"}])
    assert Department.objects.filter(name="Modeling").count() == 1


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_the_number_of_records(api_client, imported, django_assert_max_num_queries, size):
    project, sequence = {"type": "Project", "id": 71}, {"type": "Project", "id": 401}
    cast = [{"type": "Character", "id": 501}, {"type": "Character", "id": 502}]
    shots = [{"id": 700 + n, "code": f"SH{n:03}", "project": project, "sg_sequence": sequence, "sg_cut_in": n, "sg_cut_duration": 10, "assets": cast} for n in range(size)]
    tasks = [
        {
            "id": 8000 + n,
            "content": "Layout",
            "step": {"type": "Step", "id": 12},
            "entity": {"type": "Shot", "id": 700 + n},
            "sg_status_list": "wip",
            "created_by": {"type": "HumanUser", "id": 201},
            "task_assignees": [{"type": "HumanUser", "id": 201}, {"type": "HumanUser", "id": 202}],
        }
        for n in range(size)
    ]
    with assert_query_baseline(django_assert_max_num_queries, "POST data/import/shotgun/shots"):
        assert post(api_client, "shots", shots).json()["created"] == size
    with assert_query_baseline(django_assert_max_num_queries, "POST data/import/shotgun/tasks"):
        assert post(api_client, "tasks", tasks).json()["created"] == size
    for record in shots:
        record["assets"] = cast[:1]
        record["sg_cut_in"] += 1
    with assert_query_baseline(django_assert_max_num_queries, "POST data/import/shotgun/shots"):
        assert post(api_client, "shots", shots).json()["updated"] == size
    with assert_query_baseline(django_assert_max_num_queries, "POST data/import/shotgun/tasks"):
        assert len(post(api_client, "tasks", tasks + [{"id": 7999}]).json()["errors"]) == 1


def test_a_streamed_batch_reports_as_one_whatever_its_chunks(api_client, imported, admin_person, monkeypatch):
    """Records read lazily (ijson in a job) are imported a chunk at a time in one
    transaction: with one record per chunk, duplicates and clashes across
    chunks are named as in one batch, indexes count from the batch's start,
    and a record refused as a whole undoes the chunks written before it."""
    from imports.shotgun import services

    monkeypatch.setattr(services, "STREAM_CHUNK", 1)
    project, sequence = {"type": "Project", "id": 71}, {"type": "Sequence", "id": 401}
    records = [
        {"id": 610, "code": "HL010_0100", "project": project, "sg_sequence": sequence},
        {"id": 610, "code": "HL010_0100 again", "project": project, "sg_sequence": sequence},
        {"id": 611, "code": "HL010_0100", "project": project, "sg_sequence": sequence},
        {"id": 612, "code": "HL010_0010", "project": project, "sg_sequence": sequence},
        {"id": 615, "code": "HL010_0150", "project": project, "sg_sequence": sequence},
    ]
    result = services.shotgun_import(kind="shots", records=iter(records), actor=admin_person, keep_rows=False)
    assert (result.created, result.rows) == (2, [])
    reasons = {e.index: e.reason for e in result.errors}
    assert reasons[1] == "Shotgun id 610 was already sent at index 0."
    assert reasons[2].startswith("The record at index 0 has the same name 'HL010_0100'")
    assert "already exists with Shotgun id 601" in reasons[3]
    assert DataImportError.objects.filter(event_data__index=2, event_data__id=611).exists()

    bad = [{"id": 620, "code": "HL010_0200", "project": project, "sg_sequence": sequence}, {"id": 621, "code": "a\x00b", "project": project}]
    with pytest.raises(services.ShotgunImportError, match="Record 1 \\(Shotgun id 621\\)"):
        services.shotgun_import(kind="shots", records=iter(bad), actor=admin_person)
    assert not Shot.objects.filter(shotgun_id=620).exists()
