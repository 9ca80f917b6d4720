"""Benchmark of the CSV import (issue 16, acceptance 4: a 100k-row sheet at
10k rows/s or more with a peak RSS of 250 MB or less): rows per second, CPU
and peak memory of `manage.py import_csv`, run in-process.

    psql -h 127.0.0.1 -U postgres -c 'create database hcsv_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hcsv_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/csv_import.py [--kinds shots,tasks] [--sizes 10000,100000]

For each kind and size, sheets are written to a temporary folder, then every
phase runs in a fresh Python process (so that its ru_maxrss is that phase's
peak, not the setup's or a larger size's) which calls import_csv through
call_command:
  dry        the sheet as a dry run (every row would be created; nothing written);
  import     the sheet into a new project (every row created);
  unchanged  the same sheet again (every row found and left as it is);
  update     the sheet with every row changed (shots: description and frame
             range; tasks: durations, status and assignee);
A shots sheet has 50 shots a sequence, 20 sequences an episode (the
sequences and episodes are created on the way). A tasks sheet's project is
set up first (persons, shots and assets imported in a process of their own,
untimed): 90% of the tasks on shots, 10% on assets, five task types each,
with assigner, assignee, durations, dates and statuses.

Printed per phase: rows, wall seconds and rows/s, the CPU seconds of this
process (utime + stime) and of its PostgreSQL backend (/proc/<pid>/stat of
pg_backend_pid(), when the server runs on this machine), rows/s by CPU (rows
over both; what an idle machine would give, the two sides taking turns) and
the process's peak RSS (ru_maxrss). The load average is printed at the start
and the end: on a loaded machine the wall time grows and the CPU does not.
Every run makes new projects; their rows stay in the database.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

# (department, task type)
SHOT_TASK_TYPES = [(name, name) for name in ("Animation", "Layout", "Lighting", "FX", "Compositing")]
ASSET_TASK_TYPES = [("Modeling", "Modeling"), ("Modeling", "Texture"), ("Rigging", "Rigging"), ("Shading", "Shading"),
                    ("Concept", "Concept")]
STATUSES = ["Todo", "WIP", "To review", "Done"]
ASSET_TYPES = ["Character", "Prop", "Set", "Vehicle"]
PERSONS = 50
SHOTS_PER_SEQUENCE = 50
SEQUENCES_PER_EPISODE = 20
SHOT_HEADER = "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out"
TASK_HEADER = (
    "Project,Department,Task Type,Episode,Sequence,Shot,Asset Type,Asset,Name,Assigner,Assignee,"
    "Duration,Estimation,Start Date,Real Start Date,End Date,Due Date,Task Status"
)
PHASES = {"dry": "created", "import": "created", "unchanged": "unchanged", "update": "updated"}


def shot_path(n):
    return (
        f"E{n // (SHOTS_PER_SEQUENCE * SEQUENCES_PER_EPISODE) + 1:02}",
        f"SQ{n // SHOTS_PER_SEQUENCE + 1:04}",
        f"SH{n + 1:05}",
    )


def write(path, header, lines):
    with path.open("w", encoding="utf-8") as file:
        file.write(header + "\n")
        for line in lines:
            file.write(line + "\n")
    return path


def shot_lines(project, count, changed=False):
    for i in range(count):
        episode, sequence, name = shot_path(i)
        start = i * 100 + (10 if changed else 0)
        description = f"Shot {name}{' retimed' if changed else ''}"
        yield f"{project},{episode},{sequence},{name},{description},25,{start},{start + 99}"


def persons(tag):
    return [(f"Artist{n:02}", f"Bench{tag}", f"artist{n:02}.{tag}@bench.test") for n in range(PERSONS)]


def task_lines(project, tasks, tag, changed=False):
    shot_count = -(-tasks * 9 // 10 // len(SHOT_TASK_TYPES))
    asset_count = -(-(tasks - shot_count * len(SHOT_TASK_TYPES)) // len(ASSET_TASK_TYPES))
    people = persons(tag)
    rows = []
    for i in range(shot_count):
        for department, task_type in SHOT_TASK_TYPES:
            rows.append((department, task_type, *shot_path(i), "", "", i))
    for i in range(asset_count):
        for department, task_type in ASSET_TASK_TYPES:
            rows.append((department, task_type, "", "", "", ASSET_TYPES[i % len(ASSET_TYPES)], f"Asset {i + 1:05}", i))
    shift = 1 if changed else 0
    for n, (department, task_type, episode, sequence, shot, asset_type, asset, i) in enumerate(rows[:tasks]):
        assigner, assignee = people[n % PERSONS], people[(n * 7 + shift) % PERSONS]
        day = f"2017-{1 + i % 12:02}-{1 + n % 28:02}"
        yield (
            f"{project},{department},{task_type},{episode},{sequence},{shot},{asset_type},{asset},Main,"
            f"{assigner[0]} {assigner[1]},{assignee[0]} {assignee[1]},{1 + (n + shift) % 40},{2 + n % 30},{day},,{day},{day},"
            f"{STATUSES[(n + shift) % len(STATUSES)]}"
        )
    return shot_count, asset_count


def write_sheets(folder, kind, size):
    """{name: path} of the sheets one kind and size needs; "setup" lists
    (kind, path) imported before the timed phases."""
    tag = uuid.uuid4().hex[:8]
    project = f"Bench CSV {kind} {size} {tag}"
    if kind == "shots":
        sheet = write(folder / "shots.csv", SHOT_HEADER, shot_lines(project, size))
        changed = write(folder / "shots_changed.csv", SHOT_HEADER, shot_lines(project, size, changed=True))
        return {"setup": [], "sheet": sheet, "changed": changed}
    shot_count = -(-size * 9 // 10 // len(SHOT_TASK_TYPES))
    asset_count = -(-(size - shot_count * len(SHOT_TASK_TYPES)) // len(ASSET_TASK_TYPES))
    people = write(folder / "persons.csv", "First Name,Last Name,Email,Phone,Role",
                   (f"{f},{l},{e},,user" for f, l, e in persons(tag)))
    shots = write(folder / "shots.csv", SHOT_HEADER, shot_lines(project, shot_count))
    assets = write(folder / "assets.csv", "Project,Category,Name,Description",
                   (f"{project},{ASSET_TYPES[i % 4]},Asset {i + 1:05},Asset {i + 1:05}" for i in range(asset_count)))
    sheet = write(folder / "tasks.csv", TASK_HEADER, task_lines(project, size, tag))
    changed = write(folder / "tasks_changed.csv", TASK_HEADER, task_lines(project, size, tag, changed=True))
    return {"setup": [("persons", people), ("shots", shots), ("assets", assets)], "sheet": sheet, "changed": changed}


# --- one phase, in a process of its own ------------------------------------------


def cpu_of(pid):
    """utime + stime of a local process, in seconds; None when it is not ours to read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(kind, path, dry_run):
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT NULL")
        backend = cursor.fetchone()[0]
    out, err = io.StringIO(), io.StringIO()
    options = {"dry_run": dry_run, "persons": kind == "persons", "stdout": out, "stderr": err}
    server_before = cpu_of(backend) if backend else None
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    call_command("import_csv", kind, str(path), **options)
    wall = time.perf_counter() - wall_before
    cpu = time.process_time() - cpu_before
    server_after = cpu_of(backend) if backend else None
    server = None if server_before is None or server_after is None else server_after - server_before
    print(json.dumps({
        "wall": wall, "cpu": cpu, "server": server, "summary": out.getvalue().strip(),
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def in_fresh_process(kind, path, dry_run=False):
    command = [sys.executable, __file__, "--phase", kind, str(path)] + (["--dry-run"] if dry_run else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{kind} {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count_in(summary, word):
    # "tasks: created 100000, updated 0, unchanged 0, errors 0"
    return int(summary.split(f"{word} ", 1)[1].split(",", 1)[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default="shots,tasks")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"some of {', '.join(PHASES)}")
    parser.add_argument("--phase", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return run_phase(args.phase[0], Path(args.phase[1]), args.dry_run)

    phases = args.phases.split(",")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(f"{'kind':<6} {'rows':>7} {'phase':<9} {'wall s':>7} {'rows/s':>7} {'cpu s':>6} {'pg s':>6} "
          f"{'rows/s by CPU':>13} {'peak RSS MiB':>12}", flush=True)
    for kind in args.kinds.split(","):
        for size in map(int, args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as folder:
                sheets = write_sheets(Path(folder), kind, size)
                for setup_kind, path in sheets["setup"]:
                    in_fresh_process(setup_kind, path)
                for phase in phases:
                    path = sheets["changed" if phase == "update" else "sheet"]
                    figures = in_fresh_process(kind, path, dry_run=phase == "dry")
                    done = count_in(figures["summary"], PHASES[phase])
                    assert done == size, f"{phase}: {figures['summary']}"
                    server = figures["server"]
                    by_cpu = f"{size / (figures['cpu'] + server):13.0f}" if server is not None else " " * 13
                    print(
                        f"{kind:<6} {size:>7} {phase:<9} {figures['wall']:7.2f} {size / figures['wall']:7.0f} "
                        f"{figures['cpu']:6.2f} {server if server is not None else float('nan'):6.2f} "
                        f"{by_cpu} {figures['maxrss_mib']:12.1f}",
                        flush=True,
                    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
