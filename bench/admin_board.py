"""Benchmark of the admin's production board: render time and query count of
one project's board, 2,000 shots x 6 task types by default.

    psql -h 127.0.0.1 -U postgres -c 'create database bench_board'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_board
    .venv/bin/python bench/admin_board.py [--shots 2000] [--task-types 6] [--runs 5]

It seeds the project with bench/seed_large.py (no assets, --reset: the same
project each run), signs a bench admin in with Django's test client and asks
for the board `--runs` times through the whole middleware and template stack,
as a browser would. It prints each run's time, the median, the page size and
the number of SQL queries (which must not grow with the number of shots).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from production.admin.board import Board  # noqa: E402
from production.models import Person, Project  # noqa: E402

PROJECT = "Bench Board"
ADMIN_EMAIL = "bench-board-admin@studio.test"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", type=int, default=2000)
    parser.add_argument("--task-types", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-seed", action="store_true", help="reuse the project seeded by a previous run")
    return parser.parse_args()


def seed(args):
    command = [
        sys.executable, str(ROOT / "bench" / "seed_large.py"), "--project-name", PROJECT, "--reset",
        "--shots", str(args.shots), "--assets", "0", "--tasks-per-entity", str(args.task_types),
        "--episodes", "2", "--sequences-per-episode", "10", "--persons", "30", "--cast-per-shot", "0",
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main():
    args = parse_args()
    if not args.no_seed:
        seed(args)
    # The page names its static files through the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    project = Project.objects.get(name=PROJECT)
    admin = Person.objects.filter(email=ADMIN_EMAIL).first() or Person.objects.create_user(
        ADMIN_EMAIL, role=Person.Role.ADMIN, first_name="Bench", last_name="Admin"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    url = f"{reverse('admin:production_board')}?project={project.pk}"
    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    board = Board({"project": str(project.pk)})
    print(f"Board of {project.name!r} on {connection.vendor}: {len(board.rows)} shots x {len(board.columns)} task types")
    print("  runs (s):   " + " ".join(f"{t:.3f}" for t in timings))
    print(f"  median:     {statistics.median(timings):.3f} s")
    print(f"  page:       {len(response.content) / 1024:.0f} KiB")
    print(f"  queries:    {len(queries)}")


if __name__ == "__main__":
    main()
