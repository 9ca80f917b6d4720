"""CSV import over HTTP (DESIGN.md §9): the fixture sheets, updates by
natural key, all-or-nothing with every bad row reported, sheet dialects,
dry runs, flat query counts, both URL dialects, and who may import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.models import DataImportError
from production.models import (
    Asset,
    AssetType,
    Department,
    Entity,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
)
from tests.factories import make_person
from tests.helpers import FIXTURES_DIR, assert_query_baseline, client_for

SHEETS = FIXTURES_DIR / "csv"
TASK_HEADER = (
    "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,"
    "Duration,Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status"
)


def post_sheet(client, kind, content, url=None, **params):
    """POST a sheet (str or bytes) as the multipart field `file`."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    url = url or f"/api/data/import/csv/{kind}"
    query = "&".join(f"{key}={value}" for key, value in params.items())
    upload = SimpleUploadedFile(f"{kind}.csv", data, content_type="text/csv")
    return client.post(f"{url}?{query}" if query else url, {"file": upload}, format="multipart")


def import_sheets(client, *kinds):
    for kind in kinds:
        response = post_sheet(client, kind, (SHEETS / f"{kind}.csv").read_bytes())
        assert response.status_code == 200, response.json()


@pytest.fixture
def sheets_db(api_client):
    """The fixture sheets imported in order into an empty production."""
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    return api_client


def test_fixture_sheets_import_into_an_empty_database(api_client):
    response = post_sheet(api_client, "projects", (SHEETS / "projects.csv").read_bytes())
    body = response.json()
    assert response.status_code == 200
    assert (body["created"], body["updated"], body["unchanged"], body["dry_run"]) == (3, 0, 0, False)
    assert [row["line"] for row in body["data"]] == [2, 3, 4]
    assert {row["action"] for row in body["data"]} == {"created"}
    import_sheets(api_client, "persons", "shots", "assets", "tasks")

    assert Project.objects.count() == 3
    assert set(Project.objects.values_list("project_status__name", flat=True)) == {"Open", "Closed"}
    assert Project.objects.get(name="Night\xa0Ferry").project_status.name == "Closed"

    assert Sequence.objects.count() == 2
    shots = Shot.objects.order_by("parent__name", "name")
    assert [(s.parent.name, s.name) for s in shots] == [("SQ010", "SH010"), ("SQ010", "SH020"), ("SQ020", "SH010")]
    assert [s.data for s in shots] == [
        {"fps": "24", "frame_in": 1001, "frame_out": 1049},
        {"fps": "24", "frame_in": 1049, "frame_out": 1120},
        {"fps": "24", "frame_in": 1120, "frame_out": 1200},
    ]
    assert {s.parent.parent.name for s in shots} == {"EP01"}

    assert set(AssetType.objects.values_list("name", flat=True)) == {"Prop", "Character"}
    assert Asset.objects.count() == 3
    assert Asset.objects.get(name="Keeper").description == "Old lighthouse keeper"

    first = Task.objects.get(task_type__name="Blocking")
    assert first.duration == 16 * 3600 == 57600
    assert first.estimation == 12 * 3600
    assert str(first.start_date) == "2026-02-02"
    assert str(first.due_date) == "2026-02-09"
    assert first.real_start_date.date().isoformat() == "2026-02-03"
    assert [p.full_name for p in first.assignees.all()] == ["Ines Duarte"]
    assert first.assigner.full_name == "Ines Duarte"
    assert first.task_status.short_name == "wip"
    assert first.entity.name == "SH010" and first.entity.parent.name == "SQ010"
    assert Task.objects.get(task_type__name="Comp").task_status.short_name == "todo"
    texture = Task.objects.get(task_type__name="Surfacing")
    assert (texture.entity.name, texture.task_type.department.name) == ("Brass Lantern", "Modeling")
    assert Task.objects.count() == 3


def test_persons_sheet_strips_cells_and_keeps_inner_spaces(sheets_db):
    ines = Person.objects.get(email="ines.duarte@lanternfish.studio")
    karl = Person.objects.get(email="karl.duarte@lanternfish.studio")
    assert karl.phone == "+44\xa020\xa07946 0012"
    assert ines.phone == "+44\xa020\xa07946\xa00011"
    assert (ines.first_name, ines.last_name, ines.role) == ("Ines", "Duarte", "user")
    assert not ines.has_usable_password()


def test_new_references_are_reported(api_client):
    body = post_sheet(api_client, "shots", (SHEETS / "shots.csv").read_bytes()).json()
    assert body["references_created"] == {"projects": 1, "episodes": 1, "sequences": 2}


def test_reimport_with_changes_updates_those_rows_and_creates_nothing(sheets_db):
    sheet = (SHEETS / "shots.csv").read_text().replace("Keeper climbs the stairs", "Retimed").replace("1120,1200", "1120,1230")
    body = post_sheet(sheets_db, "shots", sheet).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 2, 1)
    assert [(row["line"], row["action"]) for row in body["data"]] == [(3, "updated"), (4, "updated")]
    assert Shot.objects.count() == 3
    assert Shot.objects.get(description="Retimed").data["frame_out"] == 1120
    assert Shot.objects.get(parent__name="SQ020").data == {"fps": "24", "frame_in": 1120, "frame_out": 1230}

    sheet = (SHEETS / "tasks.csv").read_text().replace(",16,12,2026-02-02,2026-02-03,", ",17,12,2026-02-02,2026-02-03,", 1)
    body = post_sheet(sheets_db, "tasks", sheet).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 2)
    assert Task.objects.get(task_type__name="Blocking").duration == 17 * 3600


def test_shot_data_keys_outside_the_sheet_are_kept(sheets_db):
    shot = Shot.objects.get(parent__name="SQ020")
    shot.data = {**shot.data, "sg_cut_order": 3}
    shot.save()
    sheet = "Project,Sequence,Episode,Name,Frame Out\nHarbour Lights,SQ020,EP01,SH010,\n"
    body = post_sheet(sheets_db, "shots", sheet).json()
    assert body["updated"] == 1
    shot.refresh_from_db()
    assert shot.data == {"fps": "24", "frame_in": 1120, "sg_cut_order": 3}
    assert shot.description == "Beam sweeps the bay"  # the column is not in the sheet: left as it was


def test_assignees_are_replaced_by_the_sheet(sheets_db):
    sheet = f"{TASK_HEADER}\nHarbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Main,Ines Duarte,\"Karl Duarte, ines.duarte@lanternfish.studio\",16,12,2026-02-02,2026-02-03,2026-02-06,2026-02-09,WIP\n"
    body = post_sheet(sheets_db, "tasks", sheet).json()
    assert (body["created"], body["updated"]) == (0, 1)
    task = Task.objects.get(task_type__name="Blocking")
    assert sorted(p.first_name for p in task.assignees.all()) == ["Ines", "Karl"]
    body = post_sheet(sheets_db, "tasks", sheet.replace('"Karl Duarte, ines.duarte@lanternfish.studio"', "")).json()
    assert body["updated"] == 1
    assert task.assignees.count() == 0


def good_task_rows(count, hours=1):
    return [
        f"Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Take {n:03},Ines Duarte,Ines Duarte,{hours},1,2026-02-02,,,,WIP"
        for n in range(count)
    ]


def test_bad_rows_write_nothing_and_are_all_reported(sheets_db):
    rows = good_task_rows(50)
    rows.insert(2, "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Bad person,Ines Duarte,Jane Roe,1,1,2026-02-02,,,,WIP")
    rows.insert(20, "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Bad date,Ines Duarte,,1,1,2017-13-45,,,,WIP")
    rows.insert(40, "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,,Ines Duarte,,1,1,2026-02-02,,,,WIP")
    tasks_before = Task.objects.count()

    response = post_sheet(sheets_db, "tasks", "\n".join([TASK_HEADER, *rows]))
    body = response.json()
    assert response.status_code == 400
    assert body["message"] == "3 rows have errors; nothing was imported."
    assert body["errors"] == [
        {"line": 4, "column": "Assignee", "message": "Unknown person 'Jane Roe'"},
        {"line": 22, "column": "Start Date", "message": "'2017-13-45' is not a date: write it YYYY-MM-DD."},
        {"line": 42, "column": "Name", "message": "Name is required."},
    ]
    assert Task.objects.count() == tasks_before
    stored = DataImportError.objects.get(source="csv")
    assert stored.event_data["errors"] == body["errors"] and stored.event_data["kind"] == "tasks"


def test_every_bad_cell_of_a_row_is_reported(sheets_db):
    sheet = f"{TASK_HEADER}\nNowhere,Animation,Blocking,EP01,SQ010,SH990,,,Main,Nobody,,x,1,2026-02-02,,,,WIP\n"
    body = post_sheet(sheets_db, "tasks", sheet).json()
    assert body["message"] == "1 row has errors; nothing was imported."
    assert body["errors"] == [
        {"line": 2, "column": "Episode", "message": "Unknown episode 'EP01' in 'Nowhere'."},
        {"line": 2, "column": "Assigner", "message": "Unknown person 'Nobody'"},
        {"line": 2, "column": "Duration", "message": "'x' is not a number."},
    ]
    assert not Project.objects.filter(name="Nowhere").exists()


def test_unknown_shot_and_asset_are_reported(sheets_db):
    rows = [
        "Harbour Lights,Animation,Blocking,EP01,SQ010,SH990,,,Main,,,1,1,,,,,",
        "Harbour Lights,Modeling,Surfacing,,,,Prop,Teapot,Main,,,1,1,,,,,",
        "Harbour Lights,Modeling,Surfacing,,,,,,Main,,,1,1,,,,,",
    ]
    body = post_sheet(sheets_db, "tasks", "\n".join([TASK_HEADER, *rows])).json()
    assert body["errors"] == [
        {"line": 2, "column": "Shot", "message": "Unknown shot 'EP01 / SQ010 / SH990' in 'Harbour Lights'."},
        {"line": 3, "column": "Asset", "message": "Unknown asset 'Teapot' of type 'Prop' in 'Harbour Lights'."},
        {
            "line": 4,
            "column": "Shot",
            "message": "A task needs its Shot (with Sequence and Episode) or its Asset (with Asset Type).",
        },
    ]


def test_a_row_given_twice_is_refused(api_client):
    body = post_sheet(api_client, "projects", "Name,Status\nAgent 327,Open\nAgent 327,Closed\n").json()
    assert body["errors"] == [
        {"line": 3, "column": "Name", "message": "Line 2 already gives this project; give each project once."}
    ]
    assert not Project.objects.filter(name="Agent 327").exists()


def test_missing_column_is_one_error(api_client):
    response = post_sheet(api_client, "shots", "Project,Name\nHarbour Lights,SH010\n")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Missing column: Sequence. A shots sheet has the columns: Project,")


@pytest.mark.parametrize(
    "content",
    [
        "Name;Status\nAgent 327;Open\nSprite Fright;Closed\n",
        "\ufeffName,Status\nAgent 327,Open\nSprite Fright,Closed\n".encode("utf-8"),
        "\ufeffname ; STATUS\r\nAgent 327 ; Open\r\n\r\nSprite Fright;Closed\r\n".encode("utf-8"),
    ],
    ids=["semicolon", "bom", "bom-semicolon-crlf-lowercase-headers"],
)
def test_sheet_dialects(api_client, content):
    body = post_sheet(api_client, "projects", content).json()
    assert body["created"] == 2
    assert dict(Project.objects.values_list("name", "project_status__name")) == {
        "Agent 327": "Open",
        "Sprite Fright": "Closed",
    }


def test_leading_zeros_are_kept(api_client):
    sheet = "Project;Episode;Sequence;Name;Frame In;Frame Out\nAgent 327;001;010;0010;0001;0100\n"
    assert post_sheet(api_client, "shots", sheet).json()["created"] == 1
    shot = Shot.objects.get()
    assert (shot.parent.parent.name, shot.parent.name, shot.name) == ("001", "010", "0010")
    assert shot.data == {"frame_in": 1, "frame_out": 100}
    post_sheet(api_client, "assets", "Project,Type,Name\nAgent 327,007,0042\n")
    assert Asset.objects.get().name == "0042" and Asset.objects.get().entity_type.name == "007"


def test_dry_run_reports_and_writes_nothing(sheets_db):
    sheet = (SHEETS / "assets.csv").read_text().replace("Oil lantern with a cracked pane", "Changed") + "Harbour Lights,Set,Street,\n"
    body = post_sheet(sheets_db, "assets", sheet, dry_run="true").json()
    assert (body["created"], body["updated"], body["unchanged"], body["dry_run"]) == (1, 1, 2, True)
    assert body["references_created"] == {"asset_types": 1}
    assert not Asset.objects.filter(name="Street").exists()
    assert not AssetType.objects.filter(name="Set").exists()
    assert Asset.objects.get(name="Brass Lantern").description == "Oil lantern with a cracked pane"


def test_statuses_match_name_or_short_name_and_are_created_when_missing(sheets_db):
    rows = [
        "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Main,,,1,1,,,,,wip",
        "Harbour Lights,Compositing,Comp,EP01,SQ010,SH010,,,Main,,,1,1,,,,,To Review",
        "Harbour Lights,Modeling,Surfacing,,,,Prop,Brass Lantern,Main,,,1,1,,,,,Retake",
    ]
    post_sheet(sheets_db, "tasks", "\n".join([TASK_HEADER, *rows]))
    statuses = dict(Task.objects.values_list("task_type__name", "task_status__short_name"))
    assert statuses == {"Blocking": "wip", "Comp": "pndng", "Surfacing": "retake"}
    assert TaskStatus.objects.get(short_name="retake").name == "Retake"


def test_task_types_sheet(api_client):
    sheet = "Department,Name\nAnimation,Layout\nAnimation,Animation\n,Previz\n"
    assert post_sheet(api_client, "task_types", sheet).json()["created"] == 3
    assert post_sheet(api_client, "task-types", sheet).json()["unchanged"] == 3
    assert TaskType.objects.get(name="Previz").department is None
    assert Department.objects.get().name == "Animation"


def test_persons_roles(api_client):
    sheet = "First Name,Last Name,Email,Phone,Role\nJane,Roe,JANE@studio.test,,Supervisor\nBob,Bot,bob@studio.test,,wizard\n"
    body = post_sheet(api_client, "persons", sheet).json()
    assert body["errors"] == [
        {"line": 3, "column": "Role", "message": "Unknown role 'wizard': one of admin, manager, supervisor, user, client."}
    ]
    post_sheet(api_client, "persons", sheet.replace("wizard", "client"))
    assert dict(Person.objects.filter(role__in=["supervisor", "client"]).values_list("email", "role")) == {
        "jane@studio.test": "supervisor",
        "bob@studio.test": "client",
    }


def test_too_long_names_are_row_errors(api_client):
    name = "P" * 81
    body = post_sheet(api_client, "projects", f"Name\n{name}\n").json()
    assert body["errors"] == [
        {"line": 2, "column": "Name", "message": "Ensure this value has at most 80 characters (it has 81)."}
    ]
    body = post_sheet(api_client, "shots", f"Project,Sequence,Name\n{name},SE01,S01\n").json()
    assert body["errors"][0]["column"] == "Project"
    assert body["errors"][0]["message"].startswith(f"Cannot create '{name}': name: Ensure this value")


def test_not_a_sheet(api_client):
    assert post_sheet(api_client, "projects", b"\xff\xfeN\x00a\x00").json()["message"] == "The file is not UTF-8 text."
    assert post_sheet(api_client, "projects", "").status_code == 400
    response = api_client.post("/api/data/import/csv/projects", {}, format="multipart")
    assert response.status_code == 400 and response.json()["message"].startswith("file:")


@pytest.mark.parametrize("kind", ["tasks", "shots"])
def test_import_query_count_does_not_grow_with_rows(sheets_db, django_assert_max_num_queries, kind):
    def sheet(count, value):
        if kind == "tasks":
            return "\n".join([TASK_HEADER, *good_task_rows(count, hours=value)])
        rows = [f"Harbour Lights,EP01,SQ010,P{n:03},,24,{value},100" for n in range(count)]
        return "\n".join(["Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out", *rows])

    post_sheet(sheets_db, kind, sheet(30, value=1))
    for count, value in ((3, 2), (30, 3)):
        with assert_query_baseline(django_assert_max_num_queries, f"POST data/import/csv/{kind}"):
            body = post_sheet(sheets_db, kind, sheet(count, value)).json()
        assert body["updated"] == count


def test_both_dialects_and_project_scoped_alias(sheets_db):
    project = Project.objects.get(name="Harbour Lights")
    sheet = "Name,Status\nAgent 327,Open\n"
    assert post_sheet(sheets_db, "projects", sheet, url="/api/import/csv/projects/").json()["created"] == 1

    scoped = f"/api/import/csv/projects/{project.id}/assets"
    body = post_sheet(sheets_db, "assets", "Category,Name\nProp,Lamp\n", url=scoped).json()
    assert [(row["name"], row["type"]) for row in body] == [("Lamp", "Asset")]  # gazu's spelling: the rows
    dry = post_sheet(sheets_db, "assets", "Category,Name\nProp,Lamp\n", url=f"{scoped}?dry_run=true").json()
    assert (dry["created"], dry["unchanged"], dry["dry_run"]) == (0, 1, True)  # a dry run: the report
    assert Asset.objects.get(name="Lamp").project == project
    response = post_sheet(sheets_db, "assets", "Project,Category,Name\nAgent 327,Prop,Lamp\n", url=scoped)
    assert response.json()["errors"][0] == {
        "line": 2,
        "column": "Project",
        "message": "This sheet is for the project 'Harbour Lights', not 'Agent 327'.",
    }
    assert post_sheet(sheets_db, "assets", "Category,Name\n", url="/api/import/csv/projects/nope/assets").status_code == 404
    assert post_sheet(sheets_db, "widgets", "Name\n").status_code == 404


def test_who_may_import(db, anon_client):
    sheet = "Name\nAgent 327\n"
    assert post_sheet(anon_client, "projects", sheet).status_code == 401
    for role in ("user", "supervisor", "client"):
        response = post_sheet(client_for(make_person(role)), "projects", sheet)
        assert response.status_code == 403
        assert "message" in response.json()
    manager = client_for(make_person("manager"))
    assert post_sheet(manager, "projects", sheet).status_code == 200
    # A manager could otherwise give anyone, themselves included, the admin role.
    persons = "Email,Role\nboss@studio.test,admin\n"
    assert post_sheet(manager, "persons", persons).status_code == 403
    assert not Person.objects.filter(email="boss@studio.test").exists()


def test_import_over_upload_limit_is_413(api_client, settings):
    settings.MAX_UPLOAD_SIZE = 10
    assert post_sheet(api_client, "projects", "Name\nAgent 327\n").status_code == 413


def test_entities_without_sequence_round_trip(api_client):
    post_sheet(api_client, "shots", "Project,Sequence,Name\nAgent 327,,Teaser\n")
    assert Entity.objects.get(name="Teaser").parent is None
    assert post_sheet(api_client, "shots", "Project,Sequence,Name\nAgent 327,,Teaser\n").json()["unchanged"] == 1
    body = post_sheet(api_client, "shots", "Project,Episode,Sequence,Name\nAgent 327,E01,,Teaser\n").json()
    assert body["errors"][0]["message"] == "A shot in an episode needs its sequence."
    assert ProjectStatus.objects.filter(name="Open").count() == 1


def test_sheets_longer_than_a_chunk(api_client, settings):
    """Sheets are read 2000 rows at a time: line numbers, duplicates and the
    all-or-nothing rule hold across chunks. The upload is spooled to disk."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    names = [f"Project {n:04}" for n in range(2100)]
    bad = [*names, "Project 0005"]
    bad[2048] = "P" * 81
    body = post_sheet(api_client, "projects", "\n".join(["Name", *bad])).json()
    assert body["errors"] == [
        {"line": 2050, "column": "Name", "message": "Ensure this value has at most 80 characters (it has 81)."},
        {"line": 2102, "column": "Name", "message": "Line 7 already gives this project; give each project once."},
    ]
    assert not Project.objects.exists()
    body = post_sheet(api_client, "projects", "\n".join(["Name", *names])).json()
    assert (body["created"], body["data"][-1]["line"]) == (2100, 2101)


def test_every_refusal_has_the_errors_list(api_client):
    for response in (
        post_sheet(api_client, "projects", "Name\nAgent 327\n", dry_run="maybe"),
        api_client.post("/api/data/import/csv/projects", {}, format="multipart"),
        post_sheet(api_client, "projects", "Title\nAgent 327\n"),
    ):
        body = response.json()
        assert response.status_code == 400
        assert body["errors"] == [{"line": None, "column": None, "message": body["message"]}]
