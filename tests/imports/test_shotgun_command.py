"""manage.py import_shotgun on the fixture export folder (tests/fixtures/shotgun)."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from imports.models import DataImportError
from production.models import Project, Shot, Task
from tests.imports.test_shotgun_import import SHOTGUN_DIR


@pytest.fixture
def export_dir(tmp_path):
    return shutil.copytree(SHOTGUN_DIR, tmp_path / "shotgun")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_shotgun", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary_rows(out):
    return {line.split()[0]: [int(n) for n in line.split()[1:]] for line in out.splitlines()[2:]}


@pytest.mark.django_db
def test_dir_imports_every_kind_in_dependency_order_with_a_summary(export_dir):
    out, err = run("--dir", export_dir, "--persons")
    assert out.splitlines()[:2] == ["Shotgun import done.", "kind        created  updated  unchanged  errors"]
    assert summary_rows(out) == {
        "projects": [2, 0, 0, 0],
        "persons": [2, 0, 0, 0],
        "steps": [2, 0, 0, 0],
        "status": [5, 1, 0, 0],
        "sequences": [3, 0, 0, 0],
        "assets": [2, 0, 0, 0],
        "shots": [1, 0, 0, 0],
        "tasks": [2, 0, 0, 0],
        "versions": [1, 0, 0, 0],
        "total": [20, 1, 0, 0],
    }
    assert err == ""
    assert Shot.objects.get(shotgun_id=601).parent.name == "HL010"
    assert Task.objects.get(shotgun_id=7076).assignees.get().email == "theo.brandt@lanternfish.studio"

    again, _ = run("--dir", export_dir, "--persons")
    assert summary_rows(again)["total"] == [0, 0, 21, 0]


@pytest.mark.django_db
def test_dry_run_of_a_folder_resolves_links_across_kinds_and_writes_nothing(export_dir):
    out, _ = run("--dir", export_dir, "--dry-run", "--persons")
    assert out.startswith("Dry run: nothing was written.")
    # Shots and tasks resolved the projects, sequences and steps the same run would have made.
    assert summary_rows(out)["total"] == [20, 1, 0, 0]
    assert not Project.objects.exists() and not Task.objects.exists()


@pytest.mark.django_db
def test_one_kind_file_reports_its_errors(export_dir):
    run("projects", export_dir / "projects.json")
    out, err = run("shots", export_dir / "shots.json")
    assert summary_rows(out)["shots"] == [0, 0, 0, 1]
    assert err == "shots #0 (Shotgun id 601): 'sg_sequence': no sequence with Shotgun id 401 or named 'HL010'.\n"
    assert DataImportError.objects.get().event_data["code"] == "HL010_0010"


@pytest.mark.django_db
def test_broken_file_stops_everything_before_writing(export_dir):
    (export_dir / "tasks.json").write_text('[{"id": 1,')
    with pytest.raises(CommandError, match="tasks.json: not valid JSON"):
        run("--dir", export_dir, "--persons")
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Give KIND FILE, or --dir DIR."),
        (["projects"], "Give KIND FILE, or --dir DIR."),
        (["projects", "x.json", "--dir", "."], "not both"),
        (["projects", "/nonexistent/projects.json"], "No such file"),
    ],
)
def test_argument_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_folder_without_kind_files(db, tmp_path):
    with pytest.raises(CommandError, match="holds none of projects.json"):
        run("--dir", tmp_path)


@pytest.mark.django_db
def test_the_command_records_one_new_event_per_row_naming_the_command(export_dir):
    """`<type>:new` events are built in the database on PostgreSQL
    (events.store_created): without --as they name the command and no person,
    carry the row's id and project, and come before the next chunk's events."""
    from production.models import ApiEvent
    from tests.events.conftest import stored

    run("--dir", export_dir, "--persons")
    tasks = list(Task.objects.order_by("shotgun_id"))
    found = stored(name="task:new")
    assert sorted(data["task_id"] for _, data in found) == sorted(str(task.id) for task in tasks)
    assert all(data["project_id"] == str(tasks[0].project_id) for _, data in found)
    assert {data["via"] for _, data in stored()} == {next(iter(stored()))[1]["via"]}
    assert next(iter(stored()))[1]["via"].startswith("manage.py import_shotgun")
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {None}
    assert ApiEvent.objects.filter(name="task:new", object_id=tasks[0].id).count() == 1
    names = [name for name, _ in stored()]
    assert names.index("project:new") < names.index("sequence:new") < names.index("shot:new") < names.index("task:new")
