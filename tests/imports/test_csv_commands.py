"""manage.py import_csv and export_csv: the same pipeline as the REST routes,
with a progress bar and a closing summary."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from production.models import Project, Shot
from tests.imports.test_csv_import import SHEETS


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_a_summary(db):
    out, err = run("import_csv", "projects", str(SHEETS / "projects.csv"))
    assert out.strip() == "projects: created 3, updated 0, unchanged 0, errors 0"
    assert "3/3" in err  # the progress bar
    out, _ = run("import_csv", "projects", str(SHEETS / "projects.csv"))
    assert out.strip() == "projects: created 0, updated 0, unchanged 3, errors 0"


def test_dry_run_writes_nothing(db):
    out, _ = run("import_csv", "shots", str(SHEETS / "shots.csv"), "--dry-run")
    assert out.strip() == "Dry run, nothing written: shots: created 3, updated 0, unchanged 0, errors 0"
    assert not Shot.objects.exists() and not Project.objects.exists()


def test_bad_rows_fail_the_command_and_are_listed(db, tmp_path):
    sheet = tmp_path / "shots.csv"
    sheet.write_text("Project,Sequence,Name,Frame In\nAgent 327,SE01,,x\nAgent 327,SE01,S02,1\n")
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 row has errors; nothing was imported. The other rows: 1 to create, .*errors 2\."):
        call_command("import_csv", "shots", str(sheet), stdout=StringIO(), stderr=err)
    assert "line 2, Name: Name is required." in err.getvalue()
    assert "line 2, Frame In: 'x' is not a number." in err.getvalue()
    assert not Shot.objects.exists()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_csv", "shots", str(tmp_path / "nope.csv"))
    sheet.write_text("Name\nS01\n")
    with pytest.raises(CommandError, match="Missing columns: Project, Sequence"):
        call_command("import_csv", "shots", str(sheet), stdout=StringIO(), stderr=StringIO())


def test_export_to_a_file_and_to_stdout(db, tmp_path):
    run("import_csv", "projects", str(SHEETS / "projects.csv"))
    run("import_csv", "shots", str(SHEETS / "shots.csv"))
    target = tmp_path / "shots.csv"
    out, err = run("export_csv", "shots", "-o", str(target))
    assert out.strip() == f"shots: 3 rows written to {target}"
    assert "3/3" in err
    assert target.read_text().splitlines()[1] == "Harbour Lights,EP01,SQ010,SH010,Storm rolls in,24,1001,1049"
    out, _ = run("export_csv", "projects", "--project", "Harbour Lights")
    assert out.splitlines() == ["Name,Status", "Harbour Lights,Open"]
    out, _ = run("import_csv", "shots", str(target))
    assert out.strip() == "shots: created 0, updated 0, unchanged 3, errors 0"
    with pytest.raises(CommandError, match="No project named 'Nope'"):
        run("export_csv", "shots", "--project", "Nope")
