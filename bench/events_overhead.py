"""What events and history cost (issue 19): a CSV import's throughput and a
single PUT's time, with events stored and without (EVENTS_ENABLED off).

    psql -h 127.0.0.1 -U postgres -c 'create database bench_events'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_events
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/events_overhead.py [--shots 20000] [--puts 200]

For each setting, a shots sheet of --shots rows is imported into a new project
(every row created: one shot:new each, plus the sequences), then imported
again with every frame range moved (every row updated: one shot:update each
with its fields old → new), through imports.csv.services.csv_import, the code
behind the REST route and manage.py import_csv. Then --puts PUTs of one task
(data/tasks/<id>, the estimation changed each time) go through Django's test
client with a bearer token, and their median and 95th percentile are printed.
Every run makes new projects; their rows stay in the database.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from imports.csv.services import csv_import  # noqa: E402
from production.auth.persons import SystemActor  # noqa: E402
from production.auth.tokens import issue_tokens  # noqa: E402
from production.models import ApiEvent, Person, Shot, Task  # noqa: E402
from production.services import tasks_create_for_entities  # noqa: E402
from production.models import TaskType  # noqa: E402

HEADER = "Project,Episode,Sequence,Name,Description,FPS,Frame In,Frame Out"


def shots_sheet(project, count, shift):
    rows = [
        f"{project},EP01,SQ{n // 100:03},SH{n:05},,24,{1001 + shift},{1100 + shift}"
        for n in range(count)
    ]
    return "\n".join([HEADER, *rows]).encode()


def timed_import(sheet):
    start = time.perf_counter()
    report = csv_import(kind="shots", file=sheet, actor=SystemActor())
    elapsed = time.perf_counter() - start
    assert not report.errors, report.errors[:3]
    return report, elapsed


def import_phase(count):
    project = f"Bench events {uuid.uuid4().hex[:8]}"
    events_before = ApiEvent.objects.count()
    created, create_time = timed_import(shots_sheet(project, count, 0))
    updated, update_time = timed_import(shots_sheet(project, count, 10))
    assert created.created == count and updated.updated == count
    return project, count / create_time, count / update_time, ApiEvent.objects.count() - events_before


def put_phase(project, puts):
    admin = Person.objects.filter(role="admin", active=True).first() or Person.objects.create_user(
        f"bench-{uuid.uuid4().hex[:6]}@studio.test", role="admin"
    )
    shot = Shot.objects.filter(project__name=project).first()
    task_type, _ = TaskType.objects.get_or_create(name="Bench animation", department=None)
    [task] = tasks_create_for_entities(task_type=task_type, entities=[shot])
    access, _ = issue_tokens(admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {access}", HTTP_HOST="localhost")
    times = []
    for n in range(puts):
        start = time.perf_counter()
        response = client.put(
            f"/api/data/tasks/{task.id}", {"estimation": 3600 + n}, content_type="application/json", secure=True
        )
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:200]
    assert Task.objects.get(pk=task.pk).estimation == 3600 + puts - 1
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shots", type=int, default=20000)
    parser.add_argument("--puts", type=int, default=200)
    args = parser.parse_args()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {args.shots} shots, {args.puts} PUTs")
    print(f"{'events':<8} {'import rows/s':>14} {'reimport rows/s':>16} {'events stored':>14} {'PUT median ms':>14} {'PUT p95 ms':>11}")
    for enabled in (False, True, False, True):
        settings.EVENTS_ENABLED = enabled
        project, create_rate, update_rate, stored = import_phase(args.shots)
        median, p95 = put_phase(project, args.puts)
        print(f"{'on' if enabled else 'off':<8} {create_rate:>14.0f} {update_rate:>16.0f} {stored:>14} {median:>14.2f} {p95:>11.2f}")


if __name__ == "__main__":
    main()
