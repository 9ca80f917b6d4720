"""Benchmark of the Shotgun import: records per second, peak memory and queries
per import request at two sizes.

    createdb bench_shotgun   # e.g. psql -h 127.0.0.1 -U postgres -c 'create database bench_shotgun'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_shotgun
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/shotgun_import.py [--shots 10000 --assets 1000 --tasks 100000] [--via-http]

It writes a Shotgun export (1 project, persons, steps, statuses, sequences,
assets, shots, tasks) as <kind>.json files in a temporary folder, then imports
each kind through the service (with --via-http: POSTed to the REST route by an
in-process client, JSON parsing and the answer included) three times, then the tasks once more:
  small     the export at a hundredth of the size, for the query comparison;
  full      the full export;
  reimport  the full export again, which must create and update nothing;
  changed   the tasks again, each with another status and duration: every one updated.
Without DATABASE_URL it runs on the local SQLite file. Every run draws new
Shotgun ids and names, so runs do not collide; its rows stay in the database.
"""

import argparse
import json
import multiprocessing
import os
import random
import resource
import string
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django  # noqa: E402
import ijson  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.csv_export import backend_cpu  # noqa: E402
from imports.shotgun.mapping import KINDS  # noqa: E402
from imports.shotgun.services import shotgun_import  # noqa: E402
from production.auth.persons import SystemActor  # noqa: E402

STEPS = ["Modeling", "Rigging", "Shading", "Layout", "Animation", "Lighting", "FX", "Compositing", "Concept", "Storyboard"]
STATUSES = [("Waiting", "wtg", "200,200,200"), ("Ready", "rdy", "247,246,206"), ("In progress", "ip", "213,213,213"),
            ("Review", "rev", "149,227,167"), ("Approved", "apr", "29,215,46"), ("On hold", "hld", None)]
ASSET_TYPES = ["Character", "Prop", "Set", "Vehicle"]
PERSONS = 50
SHOTS_PER_SEQUENCE = 100


@dataclass
class Size:
    shots: int
    assets: int
    tasks: int

    def scaled(self, factor):
        return Size(*(max(1, round(n * factor)) for n in (self.shots, self.assets, self.tasks)))


def link(record):
    return {"type": record["type"], "id": record["id"], "name": record.get("code") or record.get("name")}


def make_export(size):
    """A Shotgun export shaped like a real one, with ids and names no other run uses."""
    span = max(size.shots, size.assets, size.tasks, PERSONS) + 1
    base = random.randrange(1, (2**31 - 1) // span - 1) * span
    tag = "".join(random.choices(string.ascii_lowercase, k=4))
    project = {"type": "Project", "id": base, "name": f"Bench {tag}", "sg_status": "Active"}
    persons = [
        {"type": "HumanUser", "id": base + n, "firstname": f"Artist{n}", "lastname": tag, "email": f"artist{n}.{tag}@bench.test"}
        for n in range(PERSONS)
    ]
    steps = [
        {"type": "Step", "id": base + n, "code": f"{name} {tag}", "color": f"{20 * n},120,{200 - 10 * n}", "entity_type": "Shot" if n % 2 else "Asset"}
        for n, name in enumerate(STEPS)
    ]
    status = [
        {"type": "Status", "id": base + n, "name": f"{name} {tag}", "code": f"{code}{tag}", "bg_color": color}
        for n, (name, code, color) in enumerate(STATUSES)
    ]
    sequences = [
        {"type": "Sequence", "id": base + n, "code": f"SQ{n:04}", "description": None, "project": link(project)}
        for n in range(-(-size.shots // SHOTS_PER_SEQUENCE))
    ]
    assets = [
        {"type": "Asset", "id": base + n, "code": f"Asset{n:05}", "description": f"Asset number {n}",
         "project": link(project), "sg_asset_type": ASSET_TYPES[n % len(ASSET_TYPES)]}
        for n in range(size.assets)
    ]
    shots = [
        {"type": "Shot", "id": base + n, "code": f"SH{n:05}", "description": None, "project": link(project),
         "sg_sequence": link(sequences[n // SHOTS_PER_SEQUENCE]), "sg_cut_in": 1001, "sg_cut_duration": 24 + n % 100,
         "sg_status_list": "ip", "assets": [link(assets[n % size.assets]), link(assets[(n * 7) % size.assets])]}
        for n in range(size.shots)
    ]
    entities = shots + assets
    tasks = []
    for n in range(size.tasks):
        entity, round_ = entities[n % len(entities)], n // len(entities)
        step = steps[round_ % len(steps)]
        repeat = round_ // len(steps)
        tasks.append(
            {"type": "Task", "id": base + n, "content": step["code"] + (f" {repeat}" if repeat else ""),
             "step": link(step), "entity": link(entity), "project": link(project),
             "sg_status_list": status[n % len(status)]["code"], "created_by": link(persons[0]),
             "task_assignees": [link(persons[n % PERSONS])], "start_date": "2017-06-01", "due_date": "2017-07-01",
             "duration": 60 * (1 + n % 8), "sg_sort_order": n % 100}
        )
    return {"projects": [project], "persons": persons, "steps": steps, "status": status,
            "sequences": sequences, "assets": assets, "shots": shots, "tasks": tasks}


def write_export(folder, size, label):
    started = time.perf_counter()
    folder.mkdir()
    export = make_export(size)
    for kind, records in export.items():
        (folder / f"{kind}.json").write_text(json.dumps(records))
    megabytes = sum(path.stat().st_size for path in folder.iterdir()) / 2**20
    counts = ", ".join(f"{len(records)} {kind}" for kind, records in export.items())
    print(f"{label} export: {counts} ({megabytes:.1f} MB of JSON, made in {time.perf_counter() - started:.1f} s)", flush=True)


class QueryCounter:
    """Counts statements without keeping their text: CaptureQueriesContext would
    hold tens of megabytes of INSERT text at full size and skew the memory figure."""

    def __init__(self):
        self.reads = self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1
        else:
            self.reads += 1
        return execute(sql, params, many, context)


class HttpImporter:
    def __init__(self):
        from rest_framework.test import APIClient

        from production.models import Person
        from production.auth.tokens import issue_tokens

        email = f"bench-{random.getrandbits(32):08x}@bench.test"
        admin = Person.objects.create_user(email, role=Person.Role.ADMIN, first_name="Bench", last_name="Admin")
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(admin)[0]}")

    def __call__(self, kind, path):
        response = self.client.post(
            f"/api/data/import/shotgun/{kind}?async=false", data=path.read_bytes(), content_type="application/json",
            secure=True, HTTP_HOST="localhost",
        )
        if response.status_code != 200:
            raise SystemExit(f"{kind}: HTTP {response.status_code}: {response.content[:300]!r}")
        return json.loads(response.content)


def service_import(kind, path):
    return shotgun_import(kind=kind, records=json.loads(path.read_text()), actor=SystemActor(persons=True)).as_dict()


def streamed_import(kind, path):
    """What an import job does: the file read record by record with ijson, the rows not kept."""
    with path.open("rb") as file:
        records = ijson.items(file, "item", use_float=True)
        return shotgun_import(kind=kind, records=records, actor=SystemActor(persons=True), keep_rows=False).as_dict()


def peak_rss_mb():
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pass(label, folder, run_import, with_tracemalloc):
    figures = {}
    for kind in KINDS:
        path = folder / f"{kind}.json"
        if not path.exists():
            continue
        counter = QueryCounter()
        if with_tracemalloc:
            tracemalloc.start()
        started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu()
        with connection.execute_wrapper(counter):
            answer = run_import(kind, path)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        db_cpu = backend_cpu() - db_cpu if db_cpu is not None else float("nan")
        records = answer["created"] + answer["updated"] + answer["unchanged"] + len(answer["errors"])
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if with_tracemalloc else None
        tracemalloc.stop()
        figures[kind] = (records, seconds, counter, answer)
        print(
            f"{label:<9} {kind:<10} {records:>8} {seconds:>8.2f} {records / seconds:>10.0f} "
            f"{counter.reads:>6} {counter.writes:>6} {answer['created']:>8} {answer['updated']:>8} "
            f"{answer['unchanged']:>9} {len(answer['errors']):>6} {peak_rss_mb():>8.0f} {cpu:>6.2f} {db_cpu:>6.2f}"
            + (f" {traced:>9.0f}" if traced is not None else ""),
            flush=True,
        )
        if answer["errors"]:
            print(f"          first error: {answer['errors'][0]}")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--assets", type=int, default=1_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--via-http", action="store_true", help="POST each file to the REST route.")
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python allocations (slower).")
    parser.add_argument("--stream", action="store_true",
                        help="Read each file with ijson and keep no rows, as an import job does.")
    parser.add_argument("--full-only", action="store_true",
                        help="Only the full pass: the peak RSS printed is then this size's (run one size per process).")
    options = parser.parse_args()
    full = Size(options.shots, options.assets, options.tasks)
    small = full.scaled(0.01)
    run_import = HttpImporter() if options.via_http else streamed_import if options.stream else service_import

    print(f"Shotgun import benchmark on {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"{'via the REST route' if options.via_http else 'through the service'}")
    with tempfile.TemporaryDirectory() as temp:
        folders = {label: Path(temp) / label for label in ("small", "full")}
        for label, size in (("small", small), ("full", full)):
            # Made in a child process, so the export's own memory stays out of the peak measured here.
            child = multiprocessing.get_context("fork").Process(target=write_export, args=(folders[label], size, label))
            child.start()
            child.join()
            if child.exitcode:
                raise SystemExit(f"making the {label} export failed")

        print(f"\n{'pass':<9} {'kind':<10} {'records':>8} {'seconds':>8} {'records/s':>10} {'reads':>6} {'writes':>6} "
              f"{'created':>8} {'updated':>8} {'unchanged':>9} {'errors':>6} {'RSS MB':>8} {'CPU s':>6} {'PG s':>6}"
              + (f" {'traced MB':>9}" if options.tracemalloc else ""))
        if options.full_only:
            started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu()
            results = {"full": run_pass("full", folders["full"], run_import, options.tracemalloc)}
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            db_cpu = backend_cpu() - db_cpu if db_cpu is not None else None
            records = sum(figure[0] for figure in results["full"].values())
            tasks = results["full"]["tasks"]
            print(f"\nfull: {records} records in {wall:.1f} s = {records / wall:.0f} records/s; "
                  f"tasks alone {tasks[0] / tasks[1]:.0f} records/s; peak RSS (ru_maxrss) {peak_rss_mb():.0f} MB; "
                  f"load {os.getloadavg()[0]:.2f}")
            if db_cpu is not None:
                # On a shared machine wall time is mostly waiting for a core; the CPU both sides
                # spent is what the import costs, and records per CPU second what a free core gives.
                print(f"CPU: this process {cpu:.1f} s + its PostgreSQL backend {db_cpu:.1f} s "
                      f"= {records / (cpu + db_cpu):.0f} records per CPU second")
            return
        results = {
            "small": run_pass("small", folders["small"], run_import, options.tracemalloc),
            "full": run_pass("full", folders["full"], run_import, options.tracemalloc),
            "reimport": run_pass("reimport", folders["full"], run_import, options.tracemalloc),
        }
        # Every task changed (its status and duration): the updates' own cost.
        changed = Path(temp) / "changed"
        changed.mkdir()
        statuses = [record["code"] for record in json.loads((folders["full"] / "status.json").read_text())]
        tasks = json.loads((folders["full"] / "tasks.json").read_text())
        for task in tasks:
            task.update(sg_status_list=statuses[(statuses.index(task["sg_status_list"]) + 1) % len(statuses)], duration=task["duration"] + 60)
        (changed / "tasks.json").write_text(json.dumps(tasks))
        del tasks
        results["changed"] = run_pass("changed", changed, run_import, options.tracemalloc)

    print("\nqueries per import request (reads + writes), small → full:")
    for kind, (records, _, counter, _) in results["full"].items():
        small_records, _, small_counter, _ = results["small"][kind]
        print(f"  {kind:<10} {small_records:>6} records: {small_counter.reads:>3} + {small_counter.writes:<4}"
              f" → {records:>7} records: {counter.reads:>3} + {counter.writes}")
    for label in ("full", "reimport", "changed"):
        records = sum(figure[0] for figure in results[label].values())
        seconds = sum(figure[1] for figure in results[label].values())
        print(f"{label}: {records} records in {seconds:.1f} s = {records / seconds:.0f} records/s")
    print(f"peak memory (ru_maxrss): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
