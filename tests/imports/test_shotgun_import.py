"""Shotgun import over HTTP: the reference records, idempotence, updates,
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
from tests.conftest import REFERENCE_DIR, client_for, make_person

SHOTGUN_DIR = REFERENCE_DIR / "shotgun"


def reference(kind):
    return json.loads((SHOTGUN_DIR / f"{kind}.json").read_text())


def post(client, kind, body, prefix="data/import/shotgun", query=""):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(f"/api/{prefix}/{kind}{query}", data=raw, content_type="application/json")


def import_reference(client):
    answers = {}
    for kind in KINDS:
        if (SHOTGUN_DIR / f"{kind}.json").exists():
            response = post(client, kind, reference(kind))
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
    return import_reference(api_client)


def test_reference_records_give_the_rows_and_links_they_describe(imported):
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
    cosmos = Project.objects.get(shotgun_id=1)
    assert (cosmos.name, cosmos.project_status.name) == ("Cosmos Landromat", "Active")
    assert Project.objects.get(shotgun_id=2).project_status.name == "On Hold"
    assert cosmos.file_tree == standard_tree() and cosmos.file_tree is not None

    john, ema = Person.objects.get(shotgun_id=1), Person.objects.get(shotgun_id=2)
    assert (john.first_name, john.last_name, john.email) == ("John", "Doe", "johndoe@gmail.com")
    assert ema.email == "ema.peel@gmail.com" and not ema.has_usable_password()

    modeling, animation = TaskType.objects.get(shotgun_id=1), TaskType.objects.get(shotgun_id=2)
    assert (modeling.name, modeling.color, modeling.department.name) == ("Modeling Shading", "#3295fd", "Modeling")
    assert (animation.name, animation.color, animation.department.name) == ("Animation", "#b700bc", "Animation")

    statuses = {s.short_name: (s.name, s.color, s.shotgun_id) for s in TaskStatus.objects.filter(shotgun_id__isnull=False)}
    assert statuses == {
        "apr": ("Approved", "#1dd72e", 1),
        "cmpt": ("Complete", "#929292", 2),
        "hld": ("On Hold", "#FFFFFF", 3),
        "wip": ("WIP", "#d5d5d5", 4),
        "rdy": ("Ready to Start", "#f7f6ce", 5),
        "rev": ("Pending Review", "#95e3a7", 6),
    }
    assert TaskStatus.objects.filter(short_name="wip").count() == 1

    assert sorted(Sequence.objects.filter(project=cosmos).values_list("name", flat=True)) == ["S01", "S02", "S03"]
    sheep, tom = Asset.objects.get(shotgun_id=1), Asset.objects.get(shotgun_id=2)
    assert (sheep.name, sheep.description, sheep.entity_type.name, sheep.project) == ("Sheep", "Black sheep", "Character", cosmos)
    assert (tom.name, tom.description, tom.entity_type.name) == ("Tom", "", "Character")

    shot = Shot.objects.get(shotgun_id=1)
    # The sequence link is typed "Project" in the export; the asset link names "Black Sheep": ids decide.
    assert (shot.name, shot.parent.name, shot.project) == ("SH01", "S01", cosmos)
    assert shot.data == {"frame_in": None, "frame_out": None}
    assert list(shot.entities_out.all()) == [sheep]

    anim_task, shading_task = Task.objects.get(shotgun_id=1), Task.objects.get(shotgun_id=76)
    assert (anim_task.name, anim_task.task_type, anim_task.task_status.short_name, anim_task.entity) == ("Animation", modeling, "wip", sheep)
    assert (anim_task.assigner, list(anim_task.assignees.all()), anim_task.sort_order) == (john, [], 40)
    assert (shading_task.name, shading_task.task_type, shading_task.entity, shading_task.project) == ("Shading", animation, tom, cosmos)
    assert list(shading_task.assignees.all()) == [ema]

    preview = PreviewFile.objects.get(shotgun_id=1)
    assert (preview.name, preview.description, preview.task, preview.source) == ("S01_animation", "First scene", anim_task, "Shotgun")
    assert (preview.uploaded_movie_url, preview.uploaded_movie_name, preview.is_movie) == (
        "https://sg-media.amazonaws.com/movie.avi",
        "movie.avi",
        True,
    )


def test_answer_rows_are_plain_rows_with_type_and_links(imported):
    task_row = next(row for row in imported["tasks"]["data"] if row["shotgun_id"] == 76)
    task = Task.objects.get(shotgun_id=76)
    assert task_row["type"] == "Task"
    assert task_row["id"] == str(task.id)
    assert (task_row["entity_id"], task_row["task_type_id"], task_row["project_id"]) == (
        str(task.entity_id),
        str(task.task_type_id),
        str(task.project_id),
    )
    assert task_row["assignees"] == [str(Person.objects.get(shotgun_id=2).id)]
    person_row = imported["persons"]["data"][0]
    assert person_row["type"] == "Person" and "password" not in person_row
    assert imported["shots"]["data"][0]["entities_out"] == [str(Asset.objects.get(shotgun_id=1).id)]


def test_importing_again_changes_nothing(api_client, imported):
    before = snapshot()
    again = import_reference(api_client)
    for kind, answer in again.items():
        assert (answer["created"], answer["updated"], answer["errors"]) == (0, 0, []), kind
        assert answer["unchanged"] == len(reference(kind))
    assert snapshot() == before


def test_reimport_updates_shot_code_description_cut_and_task_assignees(api_client, imported):
    shot_id = Shot.objects.get(shotgun_id=1).id
    shots = reference("shots")
    shots[0].update(code="SH01b", description="Wide", sg_cut_in=101, sg_cut_duration=24, sg_fps=25)
    answer = post(api_client, "shots", shots).json()
    assert (answer["created"], answer["updated"]) == (0, 1)
    shot = Shot.objects.get(shotgun_id=1)
    assert (shot.id, shot.name, shot.description, shot.nb_frames) == (shot_id, "SH01b", "Wide", 24)
    assert shot.data == {"frame_in": 101, "frame_out": 125, "sg_cut_duration": 24, "sg_fps": 25}

    # Re-importing without the custom field keeps it: data is merged, not replaced.
    shots[0].pop("sg_fps")
    shots[0]["sg_cut_in"] = 201
    post(api_client, "shots", shots)
    assert Shot.objects.get(shotgun_id=1).data == {"frame_in": 201, "frame_out": 225, "sg_cut_duration": 24, "sg_fps": 25}

    tasks = reference("tasks")
    tasks[0]["task_assignees"] = [{"type": "HumanUser", "id": 1, "name": "John Doe"}, {"type": "HumanUser", "id": 2, "name": "Ema Peel"}]
    tasks[1]["task_assignees"] = []
    answer = post(api_client, "tasks", tasks).json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (0, 2, 0)
    assert sorted(Task.objects.get(shotgun_id=1).assignees.values_list("email", flat=True)) == ["ema.peel@gmail.com", "johndoe@gmail.com"]
    assert list(Task.objects.get(shotgun_id=76).assignees.all()) == []
    assert Task.objects.count() == 2


def test_record_with_unknown_link_is_reported_and_stored_while_the_rest_imports(api_client, imported):
    shots = [
        {"type": "Shot", "id": 2, "code": "SH02", "project": {"type": "Project", "id": 1}, "sg_sequence": {"type": "Sequence", "id": 2}},
        {"type": "Shot", "id": 3, "code": "SH03", "project": {"type": "Project", "id": 1}, "sg_sequence": {"type": "Sequence", "id": 99, "name": "S99"}},
        {"type": "Shot", "id": 4, "code": "SH04", "project": {"type": "Project", "id": 1}, "assets": [{"type": "Asset", "id": 404}]},
    ]
    answer = post(api_client, "shots", shots).json()
    assert answer["created"] == 1
    assert answer["errors"] == [
        {"index": 1, "id": 3, "type": "Shot", "reason": "'sg_sequence': no sequence with Shotgun id 99 or named 'S99'."},
        {"index": 2, "id": 4, "type": "Shot", "reason": "'assets': no asset with Shotgun id 404."},
    ]
    assert [row["name"] for row in answer["data"]] == ["SH02"]
    assert not Shot.objects.filter(shotgun_id__in=[3, 4]).exists()
    stored = DataImportError.objects.get(event_data__id=3)
    assert stored.source == "shotgun"
    assert stored.event_data["code"] == "SH03"
    assert stored.event_data["reason"] == answer["errors"][0]["reason"]
    assert (stored.event_data["import_kind"], stored.event_data["index"]) == ("shots", 1)


def test_records_that_are_not_objects_or_lack_an_id_are_per_record_errors(api_client, imported):
    answer = post(api_client, "sequences", [42, {"code": "S09", "project": {"id": 1}}, {"id": 9, "code": "S09", "project": {"id": 1}}]).json()
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
    records = reference("projects") + [{"type": "Project", "id": 3}]
    body = {"records": records, "dry_run": True} if wrap else records
    answer = post(api_client, "projects", body, query=query).json()
    assert (answer["created"], answer["updated"], answer["dry_run"]) == (2, 0, True)
    assert [e["index"] for e in answer["errors"]] == [2]
    assert [row["name"] for row in answer["data"]] == ["Cosmos Landromat", "Big Buck Bunny"]
    assert not Project.objects.exists()
    assert not DataImportError.objects.exists()
    assert not TaskStatus.objects.none().exists()


def test_both_url_dialects_and_a_trailing_slash(api_client):
    assert post(api_client, "projects", reference("projects"), prefix="import/shotgun").json()["created"] == 2
    assert post(api_client, "persons/", reference("persons")).json()["created"] == 2
    assert post(api_client, "steps/", reference("steps"), prefix="import/shotgun").json()["created"] == 2


def test_unknown_kind_is_404(api_client):
    response = post(api_client, "playlists", [])
    assert response.status_code == 404
    assert "Unknown Shotgun kind 'playlists'" in response.json()["message"]


def test_imports_are_for_managers_and_admins(db, anon_client):
    assert post(anon_client, "projects", reference("projects")).status_code == 401
    for role in ("user", "supervisor", "client"):
        response = post(client_for(make_person(role)), "projects", reference("projects"))
        assert response.status_code == 403
        assert "message" in response.json()
    assert not Project.objects.exists()
    assert post(client_for(make_person("manager")), "projects", reference("projects")).json()["created"] == 2


def test_rows_made_by_hand_are_adopted_and_linked_by_name(api_client):
    hand_made = Project.objects.create(name="Cosmos Landromat")
    answer = post(api_client, "projects", reference("projects")).json()
    assert (answer["created"], answer["updated"]) == (1, 1)
    hand_made.refresh_from_db()
    assert hand_made.shotgun_id == 1

    # A link whose id is unknown falls back to its name, among rows with no Shotgun id only.
    Sequence.objects.create(name="S07", project=hand_made)
    answer = post(api_client, "shots", [{"id": 7, "code": "SH07", "project": {"id": 1}, "sg_sequence": {"id": 70, "name": "S07"}}]).json()
    assert answer["errors"] == []
    assert Shot.objects.get(shotgun_id=7).parent.name == "S07"


def test_batch_duplicates_and_clashes_are_reported(api_client, imported):
    project = {"type": "Project", "id": 1}
    sequence = {"type": "Sequence", "id": 1}
    answer = post(
        api_client,
        "shots",
        [
            {"id": 10, "code": "SH10", "project": project, "sg_sequence": sequence},
            {"id": 10, "code": "SH10 again", "project": project, "sg_sequence": sequence},
            {"id": 11, "code": "SH10", "project": project, "sg_sequence": sequence},
            {"id": 12, "code": "SH01", "project": project, "sg_sequence": sequence},
            {"id": 13, "code": "X" * 200, "project": project},
            {"id": 14, "code": "SH14", "project": {"id": 2}, "sg_sequence": sequence},
        ],
    ).json()
    assert answer["created"] == 1
    reasons = {e["index"]: e["reason"] for e in answer["errors"]}
    assert reasons[1] == "Shotgun id 10 was already sent at index 0."
    assert reasons[2].startswith("The record at index 0 has the same name 'SH10'")
    assert "already exists with Shotgun id 1" in reasons[3]
    assert reasons[4] == "'name' is longer than 160 characters."
    assert reasons[5] == "'sg_sequence' links a sequence of another project."

    # A shot renamed onto the name another shot holds is refused, the other kept.
    renamed = post(api_client, "shots", [{"id": 1, "code": "SH10", "project": project, "sg_sequence": sequence}]).json()
    assert "already exists with Shotgun id 10" in renamed["errors"][0]["reason"]
    assert Shot.objects.get(shotgun_id=1).name == "SH01"


def test_episodes_sequences_asset_parents_and_notes(api_client, imported):
    project = {"type": "Project", "id": 1}
    assert post(api_client, "episodes", [{"type": "Episode", "id": 1, "code": "E01", "project": project}]).json()["created"] == 1
    answer = post(api_client, "sequences", [{"id": 20, "code": "S20", "project": project, "episode": {"type": "Episode", "id": 1}}]).json()
    assert Sequence.objects.get(shotgun_id=20).parent == Episode.objects.get(shotgun_id=1)
    assert answer["data"][0]["parent_id"] == str(Episode.objects.get(shotgun_id=1).id)

    # A parent may come later in the same batch; a child of a failing parent fails too.
    assets = [
        {"id": 30, "code": "Wool", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 31}]},
        {"id": 31, "code": "Flock", "project": project, "sg_asset_type": "Set", "parents": [{"type": "Asset", "id": 1}]},
        {"id": 32, "code": "Ghost", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 33}]},
        {"id": 33, "code": "Phantom", "project": project, "sg_asset_type": "Prop", "parents": [{"type": "Asset", "id": 999}]},
    ]
    answer = post(api_client, "assets", assets).json()
    assert [(e["index"], e["reason"]) for e in answer["errors"]] == [
        (2, "'parents': the asset with Shotgun id 33 could not be imported."),
        (3, "'parents': no asset with Shotgun id 999."),
    ]
    flock, wool, sheep = (Asset.objects.get(shotgun_id=i) for i in (31, 30, 1))
    assert list(flock.entities_out.all()) == [wool]
    assert list(sheep.entities_out.all()) == [flock]
    assert post(api_client, "assets", assets[:2]).json()["unchanged"] == 2

    notes = [
        {"type": "Note", "id": 1, "content": "More wool", "user": {"type": "HumanUser", "id": 2}, "created_at": "2017-06-01T10:00:00Z", "tasks": [{"type": "Task", "id": 76}]},
        {"type": "Note", "id": 2, "content": "Lost", "tasks": [{"type": "Task", "id": 5000}]},
    ]
    answer = post(api_client, "notes", notes).json()
    assert (answer["created"], [e["id"] for e in answer["errors"]]) == (1, [2])
    comment = Comment.objects.get(shotgun_id=1)
    task = Task.objects.get(shotgun_id=76)
    assert (comment.object_id, comment.object_type, comment.text, comment.person.email) == (task.id, "Task", "More wool", "ema.peel@gmail.com")
    assert comment.created_at.isoformat() == "2017-06-01T10:00:00+00:00"
    assert post(api_client, "notes", notes[:1]).json()["unchanged"] == 1


def test_task_without_status_gets_the_default_and_a_step_department_is_made_once(api_client, imported):
    tasks = copy.deepcopy(reference("tasks"))
    new = {**tasks[0], "id": 500, "cached_display_name": "Layout", "sg_status_list": None, "duration": 30}
    answer = post(api_client, "tasks", [new]).json()
    assert answer["errors"] == []
    task = Task.objects.get(shotgun_id=500)
    assert (task.task_status.short_name, task.duration) == ("todo", 1800)
    post(api_client, "steps", [{"id": 9, "code": "Modeling Retopo", "color": "1,2,3"}])
    assert Department.objects.filter(name="Modeling").count() == 1


QUERY_BOUND = 14


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_the_number_of_records(api_client, imported, django_assert_max_num_queries, size):
    project, sequence = {"type": "Project", "id": 1}, {"type": "Project", "id": 1}
    cast = [{"type": "Character", "id": 1}, {"type": "Character", "id": 2}]
    shots = [{"id": 100 + n, "code": f"SH{n:03}", "project": project, "sg_sequence": sequence, "sg_cut_in": n, "sg_cut_duration": 10, "assets": cast} for n in range(size)]
    tasks = [
        {
            "id": 1000 + n,
            "content": "Animation",
            "step": {"type": "Step", "id": 2},
            "entity": {"type": "Shot", "id": 100 + n},
            "sg_status_list": "wip",
            "created_by": {"type": "HumanUser", "id": 1},
            "task_assignees": [{"type": "HumanUser", "id": 1}, {"type": "HumanUser", "id": 2}],
        }
        for n in range(size)
    ]
    with django_assert_max_num_queries(QUERY_BOUND):
        assert post(api_client, "shots", shots).json()["created"] == size
    with django_assert_max_num_queries(QUERY_BOUND):
        assert post(api_client, "tasks", tasks).json()["created"] == size
    for record in shots:
        record["assets"] = cast[:1]
        record["sg_cut_in"] += 1
    with django_assert_max_num_queries(QUERY_BOUND):
        assert post(api_client, "shots", shots).json()["updated"] == size
    with django_assert_max_num_queries(QUERY_BOUND):
        assert len(post(api_client, "tasks", tasks + [{"id": 1}]).json()["errors"]) == 1
