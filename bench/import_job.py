"""Benchmark of a Shotgun import as a background job (issue 20): time to the
202, the job's total time and its progress as a client polling it sees it.

    psql -h 127.0.0.1 -U postgres -c 'create database bench_jobs'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_jobs REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/import_job.py [--tasks 100000 --shots 10000 --assets 1000] [--poll 0.5]

It writes a Shotgun export (bench/shotgun_import.py's), imports everything but
the tasks in-process, starts one `celery -A zou_site worker` (pool solo) on a
queue of its own, then POSTs the tasks to `data/import/shotgun/tasks` through
an in-process API client and polls `data/jobs/<id>` until the job ends.
Prints: the 202's time, each progress sample (seconds since the POST, state,
done/total, percent) and the final summary's counts.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")
QUEUE = f"bench-jobs-{uuid.uuid4().hex[:8]}"
os.environ["CELERY_QUEUE"] = QUEUE
if not (os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")):
    raise SystemExit("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the job must run on a real worker.")

import django  # noqa: E402

django.setup()

from rest_framework.test import APIClient  # noqa: E402

from bench.shotgun_import import Size, make_export  # noqa: E402
from imports.shotgun.services import shotgun_import  # noqa: E402
from production.auth.persons import SystemActor  # noqa: E402
from production.auth.tokens import issue_tokens  # noqa: E402
from production.models import Person  # noqa: E402


def start_worker(log_path):
    log = open(log_path, "w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "zou_site", "worker", "--pool", "solo", "--loglevel", "INFO", "-Q", QUEUE,
         "-n", f"{QUEUE}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if " ready." in Path(log_path).read_text():
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"the worker did not start:\n{Path(log_path).read_text()[-3000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--assets", type=int, default=1_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between two GET data/jobs/<id>")
    args = parser.parse_args()

    export = make_export(Size(args.shots, args.assets, args.tasks))
    started = time.perf_counter()
    for kind in ("projects", "persons", "steps", "status", "sequences", "assets", "shots"):
        shotgun_import(kind=kind, records=export[kind], actor=SystemActor(persons=True))
    print(f"breakdown imported in-process in {time.perf_counter() - started:.1f} s "
          f"({args.shots} shots, {args.assets} assets)", flush=True)
    body = json.dumps(export["tasks"]).encode()
    print(f"tasks export: {len(export['tasks'])} records, {len(body) / 2**20:.1f} MB of JSON", flush=True)

    admin = Person.objects.create_user(f"bench-{uuid.uuid4().hex[:8]}@bench.test", role=Person.Role.ADMIN, first_name="Bench", last_name="Jobs")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(admin)[0]}")
    log_path = ROOT / "bench" / f"{QUEUE}.log"
    worker = start_worker(log_path)
    try:
        posted = time.perf_counter()
        response = client.post("/api/data/import/shotgun/tasks", data=body, content_type="application/json", secure=True, HTTP_HOST="localhost")
        to_202 = time.perf_counter() - posted
        if response.status_code != 202:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        location = response["Location"]
        print(f"time to 202: {to_202:.2f} s (job {response.json()['id']}, state {response.json()['state']})", flush=True)
        print(f"{'seconds':>8} {'state':<10} {'done':>8} {'total':>8} {'%':>4}", flush=True)
        while True:
            job = client.get(location, secure=True, HTTP_HOST="localhost").json()
            progress = job["progress"]
            print(f"{time.perf_counter() - posted:>8.1f} {job['state']:<10} {progress['done']:>8} {progress['total']:>8} {progress['percent']:>4}", flush=True)
            if job["state"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(args.poll)
        total = time.perf_counter() - posted
        summary = job["summary"] or {}
        print(f"total time (POST to finished, as polled): {total:.1f} s; state {job['state']}; "
              f"created {summary.get('created')}, updated {summary.get('updated')}, unchanged {summary.get('unchanged')}, "
              f"errors {len(summary.get('errors', []))}", flush=True)
    finally:
        worker.terminate()
        worker.wait(30)
        log_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
