"""Benchmark of the CSV exports (issue 16, acceptance 4: a project's 96k tasks
at 100k rows/s or more): rows per second of each kind's export of one project,
through imports.csv.services.csv_export, the code behind the REST route, the
admin and manage.py export_csv.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api
    .venv/bin/python bench/seed_large.py            # once: 10k shots, 96k tasks
    .venv/bin/python bench/csv_export.py [--kinds tasks,shots] [--repeat 5]

Each kind is exported --repeat times to a file in a temporary folder (the
first run, untimed, warms the connection and the caches). Printed per kind:
the rows, the median wall time and its rows/s, and the CPU the export cost on
both sides: this process (utime + stime) and its PostgreSQL backend (read from
/proc/<pg_backend_pid()>/stat, when the server runs on this machine). On a
shared, loaded machine the wall time grows with the load while the CPU does
not: "rows/s by CPU" (rows over client + server CPU) is what an idle machine
gives, the two sides working one after the other. The load average is
printed at the start and the end.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from imports.csv.services import csv_export  # noqa: E402
from production.models import Project  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu():
    """CPU seconds the connection's PostgreSQL backend has used, or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # the server runs elsewhere
    return (int(fields[11]) + int(fields[12])) / TICKS


def export_once(kind, project, path):
    """(rows, wall s, client CPU s, server CPU s or None)."""
    server_before, client_before, start = backend_cpu(), time.process_time(), time.perf_counter()
    export = csv_export(kind=kind, project=project)
    with path.open("w", encoding="utf-8", newline="") as file:
        for chunk in export.chunks():
            file.write(chunk)
    wall, client = time.perf_counter() - start, time.process_time() - client_before
    server_after = backend_cpu()
    server = None if server_before is None or server_after is None else server_after - server_before
    with path.open(encoding="utf-8", newline="") as file:
        rows = sum(1 for _ in file) - 1  # the seed's cells hold no line breaks
    return rows, wall, client, server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project-name", default="Bench Studio Scale")
    parser.add_argument("--kinds", default="tasks,shots,assets,persons")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    project = Project.objects.get(name=args.project_name)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; project: {project.name}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'kind':<8} {'rows':>7} {'wall ms':>8} {'rows/s':>8} {'client CPU ms':>14} {'server CPU ms':>14} {'rows/s by CPU':>14}")
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds.split(","):
            path = Path(folder) / f"{kind}.csv"
            export_once(kind, project, path)
            runs = [export_once(kind, project, path) for _ in range(args.repeat)]
            rows = runs[0][0]
            wall = statistics.median(run[1] for run in runs)
            client = statistics.median(run[2] for run in runs)
            servers = [run[3] for run in runs if run[3] is not None]
            server = statistics.median(servers) if servers else None
            by_cpu = f"{rows / (client + server):>14.0f}" if server else f"{'n/a':>14}"
            server_ms = f"{server * 1000:>14.0f}" if server is not None else f"{'n/a':>14}"
            print(f"{kind:<8} {rows:>7} {wall * 1000:>8.0f} {rows / wall:>8.0f} {client * 1000:>14.0f} {server_ms} {by_cpu}", flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
