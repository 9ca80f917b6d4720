"""A studio's day under load, against gunicorn + PostgreSQL (issue #17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api .venv/bin/python bench/studio_day.py

Seed first with bench/seed_large.py. Starts gunicorn with production settings
(or uses --base-url), then --clients threads, each with its own keep-alive
session and its own person's token, play for --seconds without pause:
artists read their tasks and post comments and time, TDs publish, a
coordinator pulls the big lists. Prints throughput, p50/p95/p99 per request
kind, the errors (any answer but the expected 2xx, any connection failure or
timeout) and the deadlocks PostgreSQL counted meanwhile
(pg_stat_database.deadlocks). Exit status 1 if there is any error or deadlock.
"""

import argparse
import math
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django

django.setup()

import requests
from django.conf import settings
from django.db import connection
from seed_large import DEFAULT_PROJECT
from servers import start_gunicorn, stop_gunicorn

from production.defaults import WIP
from production.models import Person, Project, Task, TaskStatus, TaskType
from production.auth.tokens import issue_tokens

COORDINATOR_EMAIL = "bench-coordinator@studio.test"
# Time is logged on days the seed leaves empty, so repeated runs stay under
# the daily cap of a person (they set the same durations again).
FIRST_DAY = date(2026, 1, 1)
TASKS_PER_PERSON = 40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--tds", type=int, default=6, help="clients that are TDs publishing (the rest past the coordinators are artists)")
    parser.add_argument("--coordinators", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn worker and client timeout, seconds")
    parser.add_argument("--base-url", help="use this running server instead of starting one (same DATABASE_URL and SECRET_KEY)")
    parser.add_argument("--project-name", default=DEFAULT_PROJECT)
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


# --- the cast: persons, their tokens and their tasks (through the ORM) ---------------------------------------

def cast(args, rng):
    project = Project.objects.filter(name=args.project_name).first()
    if project is None:
        sys.exit(f"No project {args.project_name!r}: run bench/seed_large.py first (same DATABASE_URL).")
    workers = args.clients - args.coordinators
    busy = list(
        Person.objects.filter(role=Person.Role.USER, active=True, tasks__project=project)
        .distinct().order_by("email").values_list("pk", flat=True)
    )
    if len(busy) < workers:
        sys.exit(f"{len(busy)} artists with tasks, {workers} needed: seed with more --persons.")
    coordinator = Person.objects.filter(email=COORDINATOR_EMAIL).first() or Person.objects.create_user(
        COORDINATOR_EMAIL, first_name="Bench", last_name="Coordinator", role=Person.Role.MANAGER
    )
    people = []
    for index, person in enumerate(Person.objects.filter(pk__in=busy[:workers]).order_by("email")):
        tasks = list(Task.objects.filter(project=project, assignees=person).values_list("pk", flat=True))
        role = "td" if index < args.tds else "artist"
        people.append({"role": role, "person": str(person.pk), "token": issue_tokens(person)[0],
                       "tasks": [str(t) for t in rng.sample(tasks, min(TASKS_PER_PERSON, len(tasks)))]})
    token = issue_tokens(coordinator)[0]
    people += [{"role": "coordinator", "person": str(coordinator.pk), "token": token, "tasks": []}] * args.coordinators
    shot_type = TaskType.objects.filter(tasks__project=project, for_shots=True).order_by("name").first()
    context = {
        "project": str(project.pk),
        "wip": str(TaskStatus.objects.get(short_name=WIP).pk),
        "statuses": [str(pk) for pk in TaskStatus.objects.values_list("pk", flat=True)],
        "shot_type": str(shot_type.pk),
        "pages": max(1, math.ceil(Task.objects.filter(project=project).count() / 100)),
        "has_tree": bool(project.file_tree),
    }
    return people, context, token


# --- what each kind of person does -----------------------------------------------------------------------------

def artist_actions(me, context, rng):
    task = rng.choice(me["tasks"])
    day = FIRST_DAY + timedelta(days=rng.randrange(365))
    return rng.choices(
        [
            ("artist: my tasks", "GET", f"data/tasks?assignees={me['person']}", None),
            ("artist: my WIP tasks", "GET", f"data/tasks?assignees={me['person']}&task_status_id={context['wip']}", None),
            ("artist: one task", "GET", f"data/tasks/{task}/full", None),
            ("artist: task comments", "GET", f"data/tasks/{task}/comments", None),
            ("artist: post comment", "POST", f"actions/tasks/{task}/comment",
             {"task_status_id": context["wip"], "comment": "Working on it, new pass tonight."}),
            ("artist: set time", "POST", f"actions/tasks/{task}/time-spents/{day}/persons/{me['person']}", {"duration": 1800}),
        ],
        weights=[2, 2, 3, 2, 2, 2],
    )[0]


def td_actions(me, context, rng):
    task = rng.choice(me["tasks"])
    return rng.choices(
        [
            ("td: publish", "POST", "project/files/working-files/publish", {"task_id": task, "comment": "publish from the farm"}),
            ("td: working files", "GET", f"data/tasks/{task}/working-files", None),
            ("td: last working files", "GET", f"data/tasks/{task}/last-working-files", None),
        ],
        weights=[3, 1, 1],
    )[0]


def coordinator_actions(me, context, rng):
    project = context["project"]
    return rng.choices(
        [
            ("coordinator: shots with tasks", "GET", f"data/shots/with-tasks?project_id={project}", None),
            ("coordinator: all shots", "GET", f"data/shots/all?project_id={project}", None),
            ("coordinator: task page", "GET", f"data/tasks?project_id={project}&page={rng.randint(1, context['pages'])}", None),
            ("coordinator: tasks by status and type", "GET",
             f"data/tasks?task_status_id={rng.choice(context['statuses'])}&task_type_id={context['shot_type']}", None),
        ],
        weights=[1, 1, 2, 2],
    )[0]


ACTIONS = {"artist": artist_actions, "td": td_actions, "coordinator": coordinator_actions}


class Player(threading.Thread):
    def __init__(self, me, context, api, args, seed, start_line, stopping):
        super().__init__(daemon=True)
        self.me, self.context, self.api, self.timeout = me, context, api, args.timeout
        self.rng, self.start_line, self.stopping = random.Random(seed), start_line, stopping
        self.timings, self.errors = defaultdict(list), []

    def run(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.me['token']}"
        self.start_line.wait()
        while not self.stopping.is_set():
            kind, method, path, body = ACTIONS[self.me["role"]](self.me, self.context, self.rng)
            started = time.perf_counter()
            try:
                answer = session.request(method, self.api + path, json=body, timeout=self.timeout)
                answer.content  # noqa: B018 - the whole body is part of the time
                failed = None if 200 <= answer.status_code < 300 else f"{answer.status_code} {answer.text[:200]}"
            except requests.RequestException as error:
                failed = repr(error)
            self.timings[kind].append(time.perf_counter() - started)
            if failed:
                self.errors.append((kind, method, path, failed))
        session.close()


# --- the run ------------------------------------------------------------------------------------------------

def deadlocks():
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def percentile(sorted_values, fraction):
    """Nearest rank."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def play(args, people, context, coordinator_token, api):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {coordinator_token}"
    if not context["has_tree"]:  # publishing needs the project's file tree
        answer = session.post(api + "project/set-tree", json={"project_id": context["project"], "tree_name": "simple"}, timeout=60)
        answer.raise_for_status()
    for _ in range(2 * args.workers):  # every worker imports the app and opens its connection
        session.get(api + "data/projects", timeout=args.timeout).raise_for_status()
    session.close()
    start_line, stopping = threading.Event(), threading.Event()
    players = [Player(me, context, api, args, args.seed * 1000 + n, start_line, stopping) for n, me in enumerate(people)]
    for player in players:
        player.start()
    started = time.perf_counter()
    start_line.set()
    time.sleep(args.seconds)
    stopping.set()
    for player in players:
        player.join()
    return players, time.perf_counter() - started


def report(players, elapsed, deadlock_count):
    timings, errors = defaultdict(list), []
    for player in players:
        errors += player.errors
        for kind, values in player.timings.items():
            timings[kind] += values
    error_kinds = defaultdict(int)
    for kind, *_ in errors:
        error_kinds[kind] += 1
    total = sum(len(v) for v in timings.values())
    print(f"\n{'request kind':40} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    for kind in sorted(timings):
        values = sorted(timings[kind])
        ms = [percentile(values, f) * 1000 for f in (0.5, 0.95, 0.99, 1.0)]
        print(f"{kind:40} {len(values):6d} {len(values) / elapsed:7.1f} " + " ".join(f"{v:8.1f}" for v in ms) + f" {error_kinds[kind]:6d}")
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s; errors: {len(errors)}; deadlocks: {deadlock_count}")
    for kind, method, path, failed in errors[:20]:
        print(f"ERROR {kind}: {method} {path} -> {failed}")
    return not errors and not deadlock_count


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    people, context, coordinator_token = cast(args, rng)
    roles = defaultdict(int)
    for me in people:
        roles[me["role"]] += 1
    print(f"{len(people)} clients ({', '.join(f'{n} {role}s' for role, n in sorted(roles.items()))}) for {args.seconds:.0f} s; "
          f"load average {os.getloadavg()[0]:.2f}")
    deadlocks_before = deadlocks()
    connection.close()
    proc = None
    with tempfile.NamedTemporaryFile("w+", prefix="studio-day-gunicorn-", suffix=".log", delete=False) as log:
        try:
            if args.base_url:
                base = args.base_url.rstrip("/")
            else:
                proc, base = start_gunicorn(
                    log, workers=args.workers, worker_class=args.worker_class, timeout=args.timeout,
                    env={"SECRET_KEY": settings.SECRET_KEY},  # the tokens were signed with it
                )
                print(f"gunicorn {args.workers} {args.worker_class} workers on {base} (log {log.name})")
            players, elapsed = play(args, people, context, coordinator_token, base + "/api/")
        finally:
            stop_gunicorn(proc)
    # The server's backends have ended, so their statistics are flushed.
    time.sleep(1)
    ok = report(players, elapsed, deadlocks() - deadlocks_before)
    print(f"load average at the end {os.getloadavg()[0]:.2f} (the clients share the machine with the server)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
