"""Time the main API routes on a seeded production, under gunicorn (issues #8 and #16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api .venv/bin/python bench/api_bench.py

Starts gunicorn with production settings on a free local port (or uses
--base-url), logs in as a bench admin (created through the ORM when missing),
times each route with one keep-alive client, samples the workers' memory from
/proc, and, for the heavy lists, times what psycopg2 + orjson need for the same
rows so the API's overhead reads as a ratio. Seed first with bench/seed_large.py.
"""

import argparse
import math
import os
import signal
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django

django.setup()

import orjson
import psycopg2
import requests
from django.db import connection
from seed_large import DEFAULT_PROJECT
from servers import children, start_gunicorn, stop_gunicorn

from production.models import FailedLogin, Person, Project, Shot, Task, TaskStatus

ADMIN_EMAIL = "bench-admin@studio.test"
# A bench database only; override with BENCH_ADMIN_PASSWORD for a shared one.
ADMIN_PASSWORD = os.environ.get("BENCH_ADMIN_PASSWORD", "bench-admin-not-a-secret-8")
TMP_SHOT_PREFIX = "BENCHTMP_"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per light route")
    parser.add_argument("--heavy-repeat", type=int, default=5, help="requests per heavy route (whole project lists)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (the README's; sync closes each connection)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--timeout", type=int, default=600, help="gunicorn worker and client timeout, seconds")
    parser.add_argument("--base-url", help="use this running server (e.g. http://127.0.0.1:8000) instead of starting one")
    parser.add_argument("--server-pid", type=int, help="with --base-url: gunicorn master pid, to sample worker memory")
    parser.add_argument("--project-name", default=DEFAULT_PROJECT)
    parser.add_argument("--only", help="comma-separated route keys: login, projects, project_shots, shots_all, "
                        "with_tasks, tasks_page, tasks_deep, shot_tasks, shot, tasks_filter, tasks_person, "
                        "task_full, shot_create (with its delete), csv_tasks")
    return parser.parse_args()


# --- worker CPU and memory from /proc ---------------------------------------------------

def proc_cpu(pid):
    """utime + stime of a process in seconds, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def workers_cpu(master_pid):
    """Seconds of CPU the workers used so far (utime + stime): unlike wall
    time, it does not grow when other processes share the machine."""
    if not master_pid:
        return None
    return sum(filter(None, (proc_cpu(pid) for pid in children(master_pid))))


# The workers' PostgreSQL connections carry this application_name (libpq reads
# PGAPPNAME): their backends' CPU is the other half of a list's cost.
APP_NAME = f"api_bench_{os.getpid()}"


def backends_cpu():
    """{backend pid: CPU seconds} of the workers' PostgreSQL backends (on
    this machine: read from /proc), or None when PostgreSQL runs elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
        pids = [row[0] for row in cursor.fetchall()]
    found = {pid: proc_cpu(pid) for pid in pids}
    found = {pid: cpu for pid, cpu in found.items() if cpu is not None}
    return found if found or not pids else None


def backends_cpu_since(start):
    """Seconds the workers' backends spent since `start` (a backends_cpu()):
    a backend opened since then counts from zero."""
    end = backends_cpu()
    if start is None or end is None:
        return None
    return sum(cpu - start.get(pid, 0) for pid, cpu in end.items())


def proc_status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """Samples every worker's VmRSS every 50 ms and keeps the max per route.
    A worker's RSS rarely shrinks (Python keeps its arenas), so a route's
    figure includes what earlier routes left behind; VmHWM at the end is the
    lifetime peak of each worker."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master_pid, self.route, self.peaks = master_pid, None, {}
        self.workers, self.hwm, self.stopping = set(), {}, threading.Event()

    def run(self):
        last_scan = 0
        while not self.stopping.wait(0.05):
            if time.monotonic() - last_scan > 1:  # a timed-out worker is replaced with a new pid
                self.workers.update(children(self.master_pid))
                last_scan = time.monotonic()
            for pid in list(self.workers):
                rss, hwm = proc_status_kb(pid, "VmRSS"), proc_status_kb(pid, "VmHWM")
                if rss is None:
                    continue
                self.hwm[pid] = max(self.hwm.get(pid, 0), hwm or 0)
                if self.route is not None:
                    self.peaks[self.route] = max(self.peaks.get(self.route, 0), rss)

    def stop(self):
        self.stopping.set()
        self.join(timeout=1)


# --- the routes ---------------------------------------------------------------------------

def bench_ids(project_name):
    """The rows the routes point at, looked up through the ORM (not timed)."""
    project = Project.objects.filter(name=project_name).first()
    if project is None:
        sys.exit(f"No project {project_name!r}: run bench/seed_large.py first.")
    shot = Shot.objects.filter(project=project, tasks__isnull=False).order_by("id").first()
    task = Task.objects.filter(entity=shot).order_by("task_type__priority").last()
    person = task.assignees.first() or project.team.first()
    return {
        "project": project.id, "shot": shot.id, "sequence": shot.parent_id, "task": task.id,
        "task_type": task.task_type_id, "status": TaskStatus.objects.get(short_name="wip").id,
        "person": person.id if person else None,
    }


def routes(ids):
    """(key, label, method, path, heavy, target median ms) in run order; targets from issue #16
    (acceptance 3; one shot from issue #8)."""
    p = ids["project"]
    return [
        ("login", "POST auth/login", "POST", "auth/login", False, None),
        ("projects", "GET data/projects", "GET", "data/projects", False, None),
        ("project_shots", "GET data/projects/<id>/shots", "GET", f"data/projects/{p}/shots", True, 150),
        ("shots_all", "GET data/shots/all?project_id", "GET", f"data/shots/all?project_id={p}", True, 150),
        ("with_tasks", "GET data/shots/with-tasks?project_id", "GET", f"data/shots/with-tasks?project_id={p}", True, 1000),
        ("tasks_page", "GET data/tasks?page=1", "GET", "data/tasks?page=1", False, 20),
        ("tasks_deep", "GET data/tasks?page=500", "GET", "data/tasks?page=500", False, 20),
        ("shot_tasks", "GET data/shots/<id>/tasks", "GET", f"data/shots/{ids['shot']}/tasks", False, None),
        ("shot", "GET data/shots/<id>", "GET", f"data/shots/{ids['shot']}", False, 10),
        ("tasks_filter", "GET data/tasks?task_status_id&task_type_id", "GET",
         f"data/tasks?task_status_id={ids['status']}&task_type_id={ids['task_type']}", False, None),
        ("tasks_person", "GET data/tasks?assignees=<person>", "GET", f"data/tasks?assignees={ids['person']}", False, None),
        ("task_full", "GET data/tasks/<id>/full", "GET", f"data/tasks/{ids['task']}/full", False, None),
        ("shot_create", "POST data/projects/<id>/shots", "POST", f"data/projects/{p}/shots", False, None),
        ("shot_delete", "DELETE data/shots/<id>", "DELETE", "data/shots/{id}", False, None),
        ("csv_tasks", "GET export/csv/tasks.csv?project_id", "GET", f"export/csv/tasks.csv?project_id={p}", True, None),
    ]


class Result:
    def __init__(self):
        self.times, self.size, self.error, self.note, self.cpu, self.pg_cpu = [], None, None, None, None, None

    def cpu_since(self, start, master_pid, pg_start=None):
        if start is not None and self.times:
            self.cpu = (workers_cpu(master_pid) - start) / len(self.times)
        pg = backends_cpu_since(pg_start)
        if pg is not None and self.times:
            self.pg_cpu = pg / len(self.times)

    def add(self, response, elapsed, expected):
        if response.status_code != expected:
            self.error = f"HTTP {response.status_code}: {response.text[:200]}"
        self.times.append(elapsed)
        self.size = len(response.content)


def timed(session, method, url, **kwargs):
    start = time.perf_counter()
    response = session.request(method, url, **kwargs)
    _ = response.content  # the whole body, streamed or not, is part of the time
    return response, time.perf_counter() - start


def run_routes(args, api, session, ids, sampler, master_pid):
    results = {}
    login_body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    only = set(args.only.split(",")) if args.only else None
    todo = [r for r in routes(ids) if only is None or r[0] in only or (r[0] == "shot_delete" and "shot_create" in only)]
    for key, label, method, path, heavy, _ in todo:
        # The first request of each route warms the workers (imports, connections)
        # and is not timed, except for the heavy ones: one more of those costs seconds.
        n = args.heavy_repeat if heavy else args.repeat
        if key == "csv_tasks":
            n = min(n, 3)  # close to a minute each at the default scale today
        if key == "shot_delete":
            continue  # timed together with shot_create
        result = results.setdefault(key, Result())
        if sampler:
            sampler.route = key
        print(f"  {label} x{n} ...", end="", flush=True)
        if key == "login":
            session.post(api + path, json=login_body)
            cpu, pg_cpu = workers_cpu(master_pid), backends_cpu()
            for _ in range(n):
                result.add(*timed(session, "POST", api + path, json=login_body), 200)
            result.cpu_since(cpu, master_pid, pg_cpu)
        elif key == "shot_create":
            deleted = results.setdefault("shot_delete", Result())
            for i in range(n + 1):
                body = {"name": f"{TMP_SHOT_PREFIX}{os.getpid()}_{i}", "sequence_id": str(ids["sequence"])}
                response, elapsed = timed(session, "POST", api + path, json=body)
                if response.status_code != 201:
                    result.add(response, elapsed, 201)
                    break
                shot_id = response.json()["id"]
                delete, delete_elapsed = timed(session, "DELETE", api + f"data/shots/{shot_id}")
                if i:  # the first pair warms up
                    result.add(response, elapsed, 201)
                    deleted.add(delete, delete_elapsed, 204)
        else:
            cpu, pg_cpu = workers_cpu(master_pid), backends_cpu()
            first, elapsed = timed(session, method, api + path)
            if key == "csv_tasks" and first.status_code == 404:
                result.note = "n/a (route missing)"
                print(" route missing")
                if sampler:
                    sampler.route = None
                continue
            if heavy:
                result.add(first, elapsed, 200)
                n -= 1
            else:
                cpu, pg_cpu = workers_cpu(master_pid), backends_cpu()  # the warm-up request is not counted
            for _ in range(n):
                result.add(*timed(session, method, api + path), 200)
            result.cpu_since(cpu, master_pid, pg_cpu)
        if sampler:
            sampler.route = None
        print(f" {median(result.times) * 1000:.0f} ms" if result.times else " failed")
    return results


# --- PostgreSQL alone: the same rows with psycopg2 + orjson ------------------------------------

ENTITY_COLUMNS = ("id, created_at, updated_at, name, description, data, shotgun_id, canceled, nb_frames, "
                  "parent_id, entity_type_id, project_id")
TASK_COLUMNS = ("id, created_at, updated_at, name, description, duration, estimation, completion_rate, sort_order, "
                "start_date, end_date, due_date, real_start_date, shotgun_id, assigner_id, entity_id, project_id, "
                "task_status_id, task_type_id")
CAST = ("coalesce((SELECT array_agg(o.entity_out_id::text) FROM production_entitylink o "
        "WHERE o.entity_in_id = e.id), '{}') AS entities_out")
ASSIGNEES = ("coalesce((SELECT array_agg(a.person_id::text) FROM production_task_assignees a "
             "WHERE a.task_id = t.id), '{}') AS assignees")
NAMES = ", p.name AS project_name, sq.name AS sequence_name, ep.name AS episode_name"
NAME_JOINS = ("JOIN production_project p ON p.id = e.project_id "
              "LEFT JOIN production_entity sq ON sq.id = e.parent_id LEFT JOIN production_entity ep ON ep.id = sq.parent_id")
SHOTS_OF = ("FROM production_entity e JOIN production_entitytype et ON et.id = e.entity_type_id {joins} "
            "WHERE e.project_id = %s AND et.name = 'Shot'")


def to_json(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def fetch(cursor, sql, params, **extra):
    cursor.execute(sql, params)
    columns = [c.name for c in cursor.description]
    return [dict(zip(columns, row), **extra) for row in cursor.fetchall()]


def raw_shots(cursor, project_id, names):
    sql = (f"SELECT {', '.join('e.' + c.strip() for c in ENTITY_COLUMNS.split(','))}, {CAST}"
           f"{NAMES if names else ''} {SHOTS_OF.format(joins=NAME_JOINS if names else '')} ORDER BY e.name")
    return fetch(cursor, sql, [project_id], type="Shot")


def raw_with_tasks(cursor, project_id):
    shots = raw_shots(cursor, project_id, names=True)
    by_shot = {}
    for shot in shots:
        shot["tasks"] = by_shot.setdefault(shot["id"], [])
    sql = (f"SELECT {', '.join('t.' + c.strip() for c in TASK_COLUMNS.split(','))}, {ASSIGNEES} "
           "FROM production_task t JOIN production_tasktype tt ON tt.id = t.task_type_id "
           f"WHERE t.entity_id IN (SELECT e.id {SHOTS_OF.format(joins='')}) ORDER BY tt.priority, tt.name, t.name")
    for task in fetch(cursor, sql, [project_id], type="Task"):
        by_shot[task["entity_id"]].append(task)
    return shots


def raw_task_page(cursor, page):
    cursor.execute("SELECT count(*) FROM production_task")
    total = cursor.fetchone()[0]
    sql = (f"SELECT {', '.join('t.' + c.strip() for c in TASK_COLUMNS.split(','))}, {ASSIGNEES} "
           # Page first, then the assignees: a subquery in the outer SELECT would
           # otherwise run for every skipped row of a deep page.
           "FROM (SELECT * FROM production_task ORDER BY created_at, id LIMIT 100 OFFSET %s) t "
           "ORDER BY t.created_at, t.id")
    return {"data": fetch(cursor, sql, [(page - 1) * 100], type="Task"), "total": total, "page": page}


def raw_baselines(args, ids, keys):
    """(median seconds, size, mean CPU seconds of this process and its PostgreSQL backend) per heavy
    list for psycopg2 (no Django) + orjson.dumps of the same rows: the fastest a Python server can be
    (issue #16 measures the API against it)."""
    settings = connection.settings_dict
    conn = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                            host=settings["HOST"] or None, port=settings["PORT"] or None)
    # Django registers psycopg2's uuid.UUID caster process-wide; PostgreSQL
    # alone sends ids as text, and that is what JSON needs.
    # (The id arrays are cast to text[] in the SQL.)
    uuid_as_text = psycopg2.extensions.new_type((2950,), "UUID_AS_TEXT", lambda value, cursor: value)
    psycopg2.extensions.register_type(uuid_as_text, conn)
    project_id = str(ids["project"])
    makers = {
        "project_shots": lambda c: raw_shots(c, project_id, names=False),
        "shots_all": lambda c: raw_shots(c, project_id, names=True),
        "with_tasks": lambda c: raw_with_tasks(c, project_id),
        "tasks_page": lambda c: raw_task_page(c, 1),
        "tasks_deep": lambda c: raw_task_page(c, 500),
    }
    out = {}
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
            for key, make in makers.items():
                if key not in keys:
                    continue
                n = args.heavy_repeat if key in ("project_shots", "shots_all", "with_tasks") else args.repeat
                times, cpus, size = [], [], 0
                for _ in range(n + 1):
                    start, cpu = time.perf_counter(), time.process_time() + (proc_cpu(backend) or 0)
                    text = orjson.dumps(make(cursor), default=to_json)
                    size = len(text)  # compact UTF-8, as the API encodes
                    times.append(time.perf_counter() - start)
                    cpus.append(time.process_time() + (proc_cpu(backend) or 0) - cpu)
                # The first one warms the caches. CPU: this process and its backend.
                out[key] = (median(times[1:]), size, sum(cpus[1:]) / n)
    finally:
        conn.close()
    return out


# --- report --------------------------------------------------------------------------------

def human_size(n):
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank: with 5 samples, the slowest


def verdict(ok):
    return "ok" if ok else "MISS"


def report(results, raw, route_list, sampler):
    header = f"{'route':<44}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'cpu ms':>8}{'pg ms':>8}{'req/s':>8}{'size':>10}" \
             f"{'raw ms':>9}{'x raw':>7}{'raw cpu':>9}{'RSS MB':>8}  target"
    print("\n" + header + "\n" + "-" * len(header))
    errors = []
    for key, label, _, _, heavy, target in route_list:
        result = results.get(key)
        if result is None:
            continue
        if result.note:
            print(f"{label:<44}{'':>4}  {result.note}")
            continue
        if not result.times:
            print(f"{label:<44}{'':>4}  failed: {result.error}")
            continue
        med, slow = median(result.times) * 1000, p95(result.times) * 1000
        rate = len(result.times) / sum(result.times)
        raw_ms = ratio = raw_cpu = ""
        checks = []
        if target:
            checks.append(f"median <= {target} ms {verdict(med <= target)}")
        if key in raw:
            raw_ms, raw_cpu = f"{raw[key][0] * 1000:.1f}", f"{raw[key][2] * 1000:.1f}"
            ratio = med / (raw[key][0] * 1000)
            checks.append(f"<= 1.5x raw {verdict(ratio <= 1.5)}")
            ratio = f"x{ratio:.1f}"
        # Only the heavy routes: after them, every worker's RSS stays high anyway.
        rss = sampler.peaks.get(key) if sampler and heavy else None
        if key == "with_tasks" and rss is not None:
            checks.append(f"worker <= 150 MB {verdict(rss / 1024 <= 150)}")
        cpu = f"{result.cpu * 1000:.1f}" if result.cpu is not None else "-"
        pg_cpu = f"{result.pg_cpu * 1000:.1f}" if result.pg_cpu is not None else "-"
        print(f"{label:<44}{len(result.times):>4}{med:>11.1f}{slow:>9.1f}{cpu:>8}{pg_cpu:>8}{rate:>8.1f}{human_size(result.size):>10}"
              f"{raw_ms:>9}{ratio:>7}{raw_cpu:>9}{(f'{rss / 1024:.0f}' if rss else '-'):>8}  {'; '.join(checks)}")
        if result.error:
            errors.append(f"{label}: {result.error}")
    for line in errors:
        print("ERROR " + line)
    if sampler and sampler.hwm:
        pid, peak = max(sampler.hwm.items(), key=lambda item: item[1])
        print(f"\nPeak worker memory (VmHWM): {peak / 1024:.0f} MB (pid {pid}); per worker: "
              + ", ".join(f"{v / 1024:.0f}" for v in sorted(sampler.hwm.values(), reverse=True)) + " MB")
    return not errors


def ensure_admin():
    """The bench logs in as an admin: seen everywhere, like a coordinator's script."""
    person = Person.objects.filter(email=ADMIN_EMAIL).first()
    if person is None:
        person = Person(email=ADMIN_EMAIL, first_name="Bench", last_name="Admin")
    if not (person.pk and person.active and person.role == Person.Role.ADMIN and person.check_password(ADMIN_PASSWORD)):
        person.role, person.active = Person.Role.ADMIN, True
        person.set_password(ADMIN_PASSWORD)
        person.save()
    # A lockout left by an earlier interrupted run would fail every login.
    FailedLogin.objects.filter(email=ADMIN_EMAIL).delete()


def cleanup_tmp_shots(project_id):
    """Shots a crashed create/delete round left behind (they have no tasks)."""
    Shot.objects.filter(project_id=project_id, name__startswith=TMP_SHOT_PREFIX, tasks__isnull=True).delete()


def _with_timeout(request, timeout):
    """requests has no session-wide timeout: a hung worker must not hang the bench."""

    def wrapped(method, url, **kwargs):
        kwargs.setdefault("timeout", timeout)
        return request(method, url, **kwargs)

    return wrapped


def bench(args, ids, counts, log):
    proc = sampler = None
    try:
        if args.base_url:
            base, master = args.base_url.rstrip("/"), args.server_pid
        else:
            proc, base = start_gunicorn(
                log, workers=args.workers, worker_class=args.worker_class, threads=args.threads, timeout=args.timeout,
                env={"PGAPPNAME": APP_NAME},
            )
            master = proc.pid
            print(f"gunicorn {args.workers} {args.worker_class} workers ({args.threads} threads) on {base} (pid {master}, log {log.name})")
        api = base + "/api/"
        if master:
            sampler = MemorySampler(master)
            sampler.start()
        session = requests.Session()
        session.request = _with_timeout(session.request, args.timeout)
        login = session.post(api + "auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        if login.status_code != 200:
            raise RuntimeError(f"login failed: {login.status_code} {login.text[:200]}")
        session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for _ in range(2 * args.workers):  # every worker imports the app and opens its connection
            session.get(api + "data/projects")
        print(f"project {args.project_name!r}: {counts['shots']:,} shots, {counts['tasks']:,} tasks in the database; "
              f"load average {os.getloadavg()[0]:.2f}")
        results = run_routes(args, api, session, ids, sampler, master)
        print("  psycopg2 + orjson baselines ...", flush=True)
        raw = raw_baselines(args, ids, results.keys())
        ok = report(results, raw, routes(ids), sampler)
        print(f"load average at the end {os.getloadavg()[0]:.2f} (other processes on the machine skew wall times)")
        return ok
    except Exception:
        if not args.base_url:
            log.flush()
            log.seek(0)
            print("--- gunicorn log (tail) ---\n" + "".join(log.readlines()[-30:]), file=sys.stderr)
        raise
    finally:
        if sampler:
            sampler.stop()
        stop_gunicorn(proc)
        cleanup_tmp_shots(ids["project"])


def main():
    args = parse_args()
    # Ctrl+C and SIGTERM both reach bench()'s finally, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_admin()
    ids = bench_ids(args.project_name)
    counts = {"shots": Shot.objects.filter(project_id=ids["project"]).count(), "tasks": Task.objects.count()}
    # Kept after the run (delete=False): the server's log, for a failure or a slow route.
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False) as log:
        ok = bench(args, ids, counts, log)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
