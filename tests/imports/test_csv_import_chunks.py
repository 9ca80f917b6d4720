"""CSV imports read, check and write a sheet a chunk at a time
(CSV_IMPORT_CHUNK_ROWS rows; a small size here, so that a few rows make
several chunks), in one transaction: through the REST route, the command and
the admin, a bad line in a late chunk writes nothing and is named, a dry run
writes nothing, existing rows are updated in bulk with their events, and the
queries do not grow with the rows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.models import DataImportError
from production.models import ApiEvent, Sequence, Shot, Task
from tests.imports.test_csv_import import TASK_HEADER, good_task_rows, import_sheets, post_sheet

SHOT_HEADER = "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out"


def shot_rows(count, frame_in=1, description="", sequence=None, prefix="P"):
    """Four shots a sequence (SQ000, SQ001...) of EP09, or all in `sequence` of EP01."""
    return [
        f"Harbour Lights,{'EP01' if sequence else 'EP09'},{sequence or f'SQ{n // 4:03}'},{prefix}{n:03},{description},"
        f"24,{frame_in},{frame_in + n}"
        for n in range(count)
    ]


def task_rows(count, prefix, hours):
    return [row.replace(",Take ", f",{prefix} ") for row in good_task_rows(count, hours=hours)]


def sheet(header, rows):
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture
def small_chunks(settings):
    settings.CSV_IMPORT_CHUNK_ROWS = 3


@pytest.fixture
def tasks_db(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    return api_client


def test_a_sheet_of_several_chunks_is_imported_whole(api_client, small_chunks):
    response = post_sheet(api_client, "shots", sheet(SHOT_HEADER, shot_rows(11)))
    body = response.json()
    assert response.status_code == 200, body
    assert (body["created"], body["updated"], body["unchanged"]) == (11, 0, 0)
    assert [row["line"] for row in body["data"]] == list(range(2, 13))  # every chunk's lines, in order
    assert {row["name"] for row in body["data"]} == {f"P{n:03}" for n in range(11)}
    shots = {shot.name: shot for shot in Shot.objects.filter(project__name="Harbour Lights")}
    assert len(shots) == 11
    assert shots["P010"].data == {"fps": "24", "frame_in": 1, "frame_out": 11} and shots["P010"].nb_frames == 11
    assert shots["P010"].parent.name == "SQ002" and shots["P010"].parent.parent.name == "EP09"
    assert Sequence.objects.filter(name__startswith="SQ00").count() == 3  # created once, found by later chunks
    assert ApiEvent.objects.filter(name="shot:new").count() == 11
    assert ApiEvent.objects.filter(name="sequence:new").count() == 3


def test_a_bad_line_in_a_late_chunk_writes_nothing_and_is_named(api_client, small_chunks):
    rows = shot_rows(11)
    rows[9] = "Harbour Lights,EP09,SQ002,P009,,24,10,x"  # line 11, the fourth chunk
    response = post_sheet(api_client, "shots", sheet(SHOT_HEADER, rows))
    body = response.json()
    assert response.status_code == 400
    assert body["message"] == "1 row has errors; nothing was imported."
    assert body["errors"] == [{"line": 11, "column": "Frame Out", "message": "'x' is not a number."}]
    assert not Shot.objects.exists() and not Sequence.objects.exists()
    assert not ApiEvent.objects.filter(name__in=["shot:new", "sequence:new", "project:new"]).exists()
    assert DataImportError.objects.get().event_data["errors"] == body["errors"]


def test_a_line_repeating_one_of_an_earlier_chunk_is_named(api_client, small_chunks):
    rows = shot_rows(8)
    rows.append(rows[1])  # line 10 gives the shot of line 3 again
    body = post_sheet(api_client, "shots", sheet(SHOT_HEADER, rows)).json()
    assert body["errors"] == [
        {"line": 10, "column": "Name", "message": "Line 3 already gives this shot; give each shot once."}
    ]
    assert not Shot.objects.exists()


def test_a_dry_run_of_several_chunks_writes_nothing(api_client, small_chunks):
    body = post_sheet(api_client, "shots", sheet(SHOT_HEADER, shot_rows(10)), dry_run="true").json()
    assert (body["created"], body["updated"], body["dry_run"]) == (10, 0, True)
    assert body["references_created"] == {"projects": 1, "episodes": 1, "sequences": 3}
    assert not Shot.objects.exists() and not Sequence.objects.exists()
    assert not ApiEvent.objects.exists()


def test_existing_rows_are_updated_in_bulk_with_their_events(api_client, small_chunks):
    post_sheet(api_client, "shots", sheet(SHOT_HEADER, shot_rows(7)))
    before = {shot.name: shot.updated_at for shot in Shot.objects.all()}
    rows = shot_rows(7, frame_in=101, description="Moved")
    rows[2] = shot_rows(7)[2]  # one row as it is
    body = post_sheet(api_client, "shots", sheet(SHOT_HEADER, rows)).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 6, 1)
    assert [row["line"] for row in body["data"]] == [2, 3, 5, 6, 7, 8]
    shots = {shot.name: shot for shot in Shot.objects.all()}
    assert shots["P006"].description == "Moved"
    assert shots["P006"].data == {"fps": "24", "frame_in": 101, "frame_out": 107} and shots["P006"].nb_frames == 7
    assert shots["P002"].description == "" and shots["P002"].updated_at == before["P002"]
    assert shots["P006"].updated_at > before["P006"]
    update = ApiEvent.objects.get(name="shot:update", object_id=shots["P006"].id)
    assert update.data["changes"]["description"] == {"old": "", "new": "Moved"}
    assert update.data["changes"]["data.frame_in"] == {"old": 1, "new": 101}
    assert ApiEvent.objects.filter(name="shot:update").count() == 6


def test_tasks_and_their_assignees_are_updated_across_chunks(tasks_db, small_chunks):
    post_sheet(tasks_db, "tasks", sheet(TASK_HEADER, good_task_rows(8)))
    rows = [row.replace(",Ines Duarte,1,1,", ",,3,1,").replace(",WIP", ",Done") for row in good_task_rows(8)]
    body = post_sheet(tasks_db, "tasks", sheet(TASK_HEADER, rows)).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 8, 0), body
    tasks = Task.objects.filter(name__startswith="Take ")
    assert {(task.duration, task.task_status.name) for task in tasks} == {(3 * 3600, "Done")}
    assert not Task.assignees.through.objects.filter(task__in=tasks).exists()
    assert ApiEvent.objects.filter(name="task:unassign").count() == 8
    assert ApiEvent.objects.filter(name="task:status-changed").count() == 8


def counted(client, kind, content):
    with CaptureQueriesContext(connection) as queries:
        response = post_sheet(client, kind, content)
    assert response.status_code == 200, response.json()
    return len(queries)


@pytest.mark.parametrize("kind", ["shots", "tasks"])
def test_queries_do_not_grow_with_the_rows_of_a_chunk(tasks_db, django_assert_max_num_queries, kind):
    """As many queries for 60 rows as for 3, created or updated (the rows name
    what exists already: a reference created on the way costs its insert)."""

    def content(count, prefix, value):
        if kind == "tasks":
            return sheet(TASK_HEADER, task_rows(count, prefix, hours=value))
        return sheet(SHOT_HEADER, shot_rows(count, frame_in=value, sequence="SQ010", prefix=prefix))

    created = counted(tasks_db, kind, content(3, "A", 1))
    updated = counted(tasks_db, kind, content(3, "A", 2))
    with django_assert_max_num_queries(created):
        assert post_sheet(tasks_db, kind, content(60, "B", 1)).json()["created"] == 60
    with django_assert_max_num_queries(updated):
        assert post_sheet(tasks_db, kind, content(60, "B", 2)).json()["updated"] == 60


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_csv", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_imports_several_chunks_and_names_a_late_bad_line(db, tmp_path, small_chunks):
    path = tmp_path / "shots.csv"
    path.write_text(sheet(SHOT_HEADER, shot_rows(10)))
    assert run_command("shots", str(path), "--dry-run").strip().endswith("shots: created 10, updated 0, unchanged 0, errors 0")
    assert not Shot.objects.exists()
    assert run_command("shots", str(path)).strip() == "shots: created 10, updated 0, unchanged 0, errors 0"
    path.write_text(sheet(SHOT_HEADER, shot_rows(10, description="Moved")))
    assert run_command("shots", str(path)).strip() == "shots: created 0, updated 10, unchanged 0, errors 0"
    assert set(Shot.objects.values_list("description", flat=True)) == {"Moved"}

    rows = shot_rows(10, description="Again")
    rows[8] = "Harbour Lights,EP09,SQ002,,Again,24,1,9"  # line 10, the fourth chunk
    path.write_text(sheet(SHOT_HEADER, rows))
    err = StringIO()
    with pytest.raises(CommandError, match="1 row has errors; nothing was imported"):
        call_command("import_csv", "shots", str(path), stdout=StringIO(), stderr=err)
    assert "line 10, Name: Name is required." in err.getvalue()
    assert set(Shot.objects.values_list("description", flat=True)) == {"Moved"}
