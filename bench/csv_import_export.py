"""Benchmark of the CSV pipeline: rows per second and peak memory of a large
task sheet's import and export.

    psql -h 127.0.0.1 -U postgres -c 'create database bench_csv'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_csv
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/csv_import_export.py [--tasks 100000]

It writes, in a temporary folder, a persons sheet and the shots and assets
sheets of one new project (episodes and sequences created on the way), then a
tasks sheet of --tasks rows on them (90% on shots, 10% on assets, five task
types each, with assignees, durations, dates and statuses). Each sheet goes
through imports.csv.services.csv_import, the code behind the REST route and
manage.py import_csv. The phases timed:
  import     the tasks sheet into the new project (every row created);
  reimport   the same sheet again (every row unchanged: each chunk's existing
             tasks are loaded to compare with);
  export     the project's tasks streamed to a file (csv_export);
  roundtrip  the exported file imported back (must create and update nothing).
Each phase reports rows per second and memory: the process's peak RSS
(ru_maxrss) once the phase is done, and tracemalloc's peak of the Python
allocations made during the phase. Tracing slows Python down, so the phase is
timed untraced and then run again traced: the imports as dry runs (the import
phase with the tasks renamed, so that every row is new again).
With --export-project NAME, only the export phase runs, on that project
(bench/seed_large.py's 96k tasks: `--export-project "Bench Studio Scale"`).
Without DATABASE_URL it runs on the local SQLite file. Every run makes a new
project, so runs do not collide; its rows stay in the database.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from imports.csv.services import csv_export, csv_import  # noqa: E402
from production.auth.persons import SystemActor  # noqa: E402
from production.models import Project  # noqa: E402

# (department, task type)
SHOT_TASK_TYPES = [(name, name) for name in ("Animation", "Layout", "Lighting", "FX", "Compositing")]
ASSET_TASK_TYPES = [("Modeling", "Modeling"), ("Modeling", "Texture"), ("Rigging", "Rigging"), ("Shading", "Shading"),
                    ("Concept", "Concept")]
STATUSES = ["Todo", "WIP", "To review", "Done"]
ASSET_TYPES = ["Character", "Prop", "Set", "Vehicle"]
PERSONS = 50
SHOTS_PER_SEQUENCE = 50
SEQUENCES_PER_EPISODE = 20


def write_sheets(folder, project, tasks):
    """The persons, shots, assets and tasks sheets; their paths by kind."""
    shot_count = -(-tasks * 9 // 10 // len(SHOT_TASK_TYPES))
    asset_count = -(-(tasks - shot_count * len(SHOT_TASK_TYPES)) // len(ASSET_TASK_TYPES))
    tag = project.split()[-1]
    persons = [(f"Artist{n:02}", f"Bench{tag}", f"artist{n:02}.{tag}@bench.test") for n in range(PERSONS)]
    shots = [
        (f"E{n // (SHOTS_PER_SEQUENCE * SEQUENCES_PER_EPISODE) + 1:02}", f"SQ{n // SHOTS_PER_SEQUENCE + 1:04}", f"SH{n + 1:05}")
        for n in range(shot_count)
    ]
    assets = [(ASSET_TYPES[n % len(ASSET_TYPES)], f"Asset {n + 1:05}") for n in range(asset_count)]
    sheets = {
        "persons": ["First Name,Last Name,Email,Phone,Role", *(f"{f},{l},{e},,user" for f, l, e in persons)],
        "shots": [
            "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out",
            *(f"{project},{e},{s},{n},Shot {n},25,{i * 100},{i * 100 + 99}" for i, (e, s, n) in enumerate(shots)),
        ],
        "assets": ["Project,Category,Name,Description", *(f"{project},{t},{n},Asset {n}" for t, n in assets)],
    }
    rows = []
    for i, (episode, sequence, shot) in enumerate(shots):
        for department, task_type in SHOT_TASK_TYPES:
            rows.append((department, task_type, episode, sequence, shot, "", "", i))
    for i, (asset_type, asset) in enumerate(assets):
        for department, task_type in ASSET_TASK_TYPES:
            rows.append((department, task_type, "", "", "", asset_type, asset, i))
    lines = []
    for n, (department, task_type, episode, sequence, shot, asset_type, asset, i) in enumerate(rows[:tasks]):
        assigner, assignee = persons[n % PERSONS], persons[(n * 7) % PERSONS]
        day = f"2017-{1 + i % 12:02}-{1 + n % 28:02}"
        lines.append(
            f"{project},{department},{task_type},{episode},{sequence},{shot},{asset_type},{asset},Main,"
            f"{assigner[0]} {assigner[1]},{assignee[0]} {assignee[1]},{1 + n % 40},{2 + n % 30},{day},,{day},{day},"
            f"{STATUSES[n % len(STATUSES)]}"
        )
    header = (
        "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,"
        "Duration,Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status"
    )
    sheets["tasks"] = [header, *lines]
    paths = {}
    for kind, sheet in sheets.items():
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text("\n".join(sheet) + "\n", encoding="utf-8")
    # The same tasks under another name: rows that are all new once the first sheet is in.
    (folder / "tasks_new.csv").write_text("\n".join(sheet.replace(",Main,", ",Retake,") for sheet in sheets["tasks"]) + "\n")
    return paths, {kind: len(sheet) - 1 for kind, sheet in sheets.items()}


def import_file(kind, path, dry_run=False):
    with path.open("rb") as file:
        report = csv_import(kind=kind, file=file, actor=SystemActor(persons=True), dry_run=dry_run, file_name=path.name)
    if report.errors:
        raise SystemExit(f"{kind}: {report.message} {report.errors[:5]}")
    return report


def export_file(project, path):
    export = csv_export(kind="tasks", project=project)
    with path.open("w", encoding="utf-8", newline="") as file:
        for chunk in export.chunks():
            file.write(chunk)


def max_rss_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(action):
    """The action's result, its time, and the process's peak RSS after it."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start, max_rss_mib()


def traced_peak_mib(action):
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def report_line(phase, rows, seconds, rss, peak, counts=""):
    traced = f"tracemalloc peak {peak:6.1f} MiB" if peak is not None else " " * 27
    print(
        f"{phase:<10} {rows:>7} rows {seconds:7.1f} s {rows / seconds:>6.0f} rows/s   "
        f"ru_maxrss {rss:6.1f} MiB   {traced}   {counts}",
        flush=True,
    )


def counts(report):
    return f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}"


def export_only(project):
    """The export phase alone, on a project already in the database."""
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; project: {project.name}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tasks.csv"
        _, seconds, rss = timed(lambda: export_file(project, path))
        with path.open(encoding="utf-8") as file:
            rows = sum(1 for _ in file) - 1
        size = path.stat().st_size / 2**20
        peak = traced_peak_mib(lambda: export_file(project, Path(folder) / "traced.csv"))
        report_line("export", rows, seconds, rss, peak, f"{size:.1f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--export-project", metavar="NAME",
                        help="only export this existing project's tasks (e.g. seed_large.py's 'Bench Studio Scale')")
    args = parser.parse_args()
    if args.export_project:
        return export_only(Project.objects.get(name=args.export_project))
    project_name = f"Bench CSV {uuid.uuid4().hex[:8]}"
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; project: {project_name}")

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths, sizes = write_sheets(folder, project_name, args.tasks)
        print("sheets:", ", ".join(f"{kind} {n} rows ({paths[kind].stat().st_size / 2**20:.1f} MiB)" for kind, n in sizes.items()))
        for kind in ("persons", "shots", "assets"):
            report, seconds, _ = timed(lambda kind=kind: import_file(kind, paths[kind]))
            print(f"setup: {kind} {counts(report)} in {seconds:.1f} s")
        print(f"ru_maxrss before the tasks: {max_rss_mib():.1f} MiB")
        tasks = sizes["tasks"]
        project = Project.objects.get(name=project_name)
        exported = folder / "exported_tasks.csv"

        # Untraced first: ru_maxrss only grows, and tracing inflates it.
        created, import_s, import_rss = timed(lambda: import_file("tasks", paths["tasks"]))
        assert created.created == tasks, counts(created)
        unchanged, reimport_s, reimport_rss = timed(lambda: import_file("tasks", paths["tasks"]))
        assert unchanged.unchanged == tasks, counts(unchanged)
        _, export_s, export_rss = timed(lambda: export_file(project, exported))
        with exported.open(encoding="utf-8") as file:
            exported_rows = sum(1 for _ in file) - 1
        back, back_s, back_rss = timed(lambda: import_file("tasks", exported))
        assert (back.created, back.updated) == (0, 0), counts(back)

        # Traced: the same work again, the imports as dry runs (renamed tasks: all new).
        import_peak = traced_peak_mib(lambda: import_file("tasks", folder / "tasks_new.csv", dry_run=True))
        reimport_peak = traced_peak_mib(lambda: import_file("tasks", paths["tasks"], dry_run=True))
        export_peak = traced_peak_mib(lambda: export_file(project, folder / "traced.csv"))

        report_line("import", tasks, import_s, import_rss, import_peak, counts(created))
        report_line("reimport", tasks, reimport_s, reimport_rss, reimport_peak, counts(unchanged))
        report_line("export", exported_rows, export_s, export_rss, export_peak, f"{exported.stat().st_size / 2**20:.1f} MiB")
        report_line("roundtrip", exported_rows, back_s, back_rss, None, counts(back))

if __name__ == "__main__":
    main()
