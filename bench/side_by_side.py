"""Side by side with the real Zou (issue 16, acceptance 1): the same routes
timed against this server and Zou 1.0.97 on the same fixture, in one run.

    python3.11 -m venv bench/.zou-venv && bench/.zou-venv/bin/pip install zou==1.0.97
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sbs
    .venv/bin/python bench/side_by_side.py [--zou-database bench_sbs_zou] [--rounds 2] [--repeat 30]

Fixture (both sides): 1 project, 2 episodes, 10 sequences, 1000 shots, 300
assets, 5 task types per kind, 6500 tasks. Ours is made by seed_large.py (no
cast; it also assigns tasks to a team, which Zou's side lacks: ours carries
more data); Zou's over its own REST API (the same calls a studio's script
makes), once per database. Zou runs from its venv (`--zou-venv`) on its own
PostgreSQL database and a private redis-server on a free port, under gunicorn
with 2 gevent workers, as Zou's documentation deploys it; ours under gunicorn
with 2 gthread workers (README). Nothing else is shared but the PostgreSQL
server.

Each round times every route on one side, then on the other (the order
alternates between rounds), with one keep-alive client, the first request of
each route not counted. It prints the medians of all rounds and ours/Zou,
and the load average: other processes on the machine inflate both sides.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import requests

from servers import ROOT, free_port, start_gunicorn, stop_gunicorn

PROJECT = "Side By Side"
ZOU_ADMIN = "admin@example.com"  # the one address Zou's create-admin takes without a DNS check
PASSWORD = os.environ.get("BENCH_ADMIN_PASSWORD", "bench-admin-not-a-secret-8")
SHAPE = {"episodes": 2, "sequences_per_episode": 5, "shots": 1000, "assets": 300, "task_types": 5}
ASSET_TYPES = ["Character", "Prop", "Set", "Vehicle", "FX Element"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zou-venv", default=str(ROOT / "bench" / ".zou-venv"))
    parser.add_argument("--zou-database", help="default: DATABASE_URL's database name + '_zou'")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per route and round")
    parser.add_argument("--only", help="comma-separated route keys")
    return parser.parse_args()


# --- Zou: database, redis, gunicorn -------------------------------------------------------------

def database_url_parts():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (see bench/README.md).")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed, parsed.path.lstrip("/")


def create_database(parsed, name):
    """True when the database was created now (it needs Zou's tables)."""
    conn = psycopg2.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
                            password=parsed.password or "", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("select 1 from pg_database where datname = %s", [name])
        if cursor.fetchone():
            return False
        cursor.execute(f'create database "{name}"')
    return True


def start_redis(log):
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    for _ in range(50):
        try:
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
                return proc, port
        except OSError:
            break
        time.sleep(0.1)
    stop_gunicorn(proc)
    sys.exit("redis-server did not start (apt-get install redis-server)")


def zou_env(parsed, database, redis_port, folder):
    return {
        **os.environ,
        "DB_HOST": parsed.hostname or "127.0.0.1", "DB_PORT": str(parsed.port or 5432),
        "DB_USERNAME": parsed.username or "postgres", "DB_PASSWORD": parsed.password or "",
        "DB_DATABASE": database, "KV_HOST": "127.0.0.1", "KV_PORT": str(redis_port),
        "SECRET_KEY": secrets.token_urlsafe(40), "PREVIEW_FOLDER": str(folder / "previews"),
        "TMP_DIR": str(folder / "tmp"),
    }


def zou_command(venv, *args, env):
    result = subprocess.run([str(Path(venv) / "bin" / "zou"), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"zou {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def start_zou(venv, env, log, folder):
    port = free_port()
    command = [str(Path(venv) / "bin" / "gunicorn"), "zou.app:app", "--worker-class", "gevent", "--workers", "2",
               "--bind", f"127.0.0.1:{port}", "--timeout", "600", "--log-level", "warning"]
    proc = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"Zou's gunicorn exited with {proc.returncode} (log {log.name})")
        try:
            requests.get(base + "/", timeout=5)
            return proc, base
        except requests.RequestException:
            time.sleep(0.3)
    stop_gunicorn(proc)
    sys.exit(f"Zou did not answer within 90 s (log {log.name})")


# --- the fixture ---------------------------------------------------------------------------------

def seed_ours():
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed_large.py"), "--project-name", PROJECT, "--reset",
         "--shots", str(SHAPE["shots"]), "--assets", str(SHAPE["assets"]), "--episodes", str(SHAPE["episodes"]),
         "--sequences-per-episode", str(SHAPE["sequences_per_episode"]), "--tasks-per-entity", str(SHAPE["task_types"]),
         "--cast-per-shot", "0"],
        check=True, stdout=subprocess.DEVNULL,
    )


def ensure_ours_admin():
    """Our tables and the bench admin (api_bench's)."""
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, cwd=ROOT)
    from api_bench import ADMIN_EMAIL, ensure_admin  # sets Django up

    ensure_admin()
    return ADMIN_EMAIL


def seed_zou(client):
    """The fixture over Zou's REST API, as a pipeline script would make it."""
    project = client.post("data/projects", {"name": PROJECT})
    pid = project["id"]
    sequences = []
    for e in range(SHAPE["episodes"]):
        episode = client.post(f"data/projects/{pid}/episodes", {"name": f"E{e + 1:02d}"})
        for s in range(SHAPE["sequences_per_episode"]):
            sequences.append(client.post(f"data/projects/{pid}/sequences", {"name": f"SQ{e + 1}{s + 1:02d}", "episode_id": episode["id"]}))
    per_sequence = SHAPE["shots"] // len(sequences)
    for sequence in sequences:
        for n in range(per_sequence):
            client.post(f"data/projects/{pid}/shots", {"name": f"SH{(n + 1) * 10:04d}", "sequence_id": sequence["id"],
                                                       "data": {"frame_in": 1001, "frame_out": 1100, "fps": 24}})
    known = {t["name"]: t for t in client.get("data/entity-types")}
    asset_types = [known.get(name) or client.post("data/entity-types", {"name": name}) for name in ASSET_TYPES]
    for n in range(SHAPE["assets"]):
        asset_type = asset_types[n % len(asset_types)]
        client.post(f"data/projects/{pid}/asset-types/{asset_type['id']}/assets/new", {"name": f"Asset {n:04d}", "description": ""})
    task_types = client.get("data/task-types")
    for kind in ("Shot", "Asset"):
        chosen = [t for t in task_types if t.get("for_entity") == kind][: SHAPE["task_types"]]
        if len(chosen) < SHAPE["task_types"]:
            chosen += [client.post("data/task-types", {"name": f"Bench {kind} {n}", "for_entity": kind})
                       for n in range(SHAPE["task_types"] - len(chosen))]
        for task_type in chosen:
            client.post(f"data/projects/{pid}/settings/task-types", {"task_type_id": task_type["id"]}, expect=(200, 201))
            client.post(f"actions/projects/{pid}/task-types/{task_type['id']}/{kind.lower()}s/create-tasks", [])


class Client:
    def __init__(self, api, email):
        self.api, self.session = api, requests.Session()
        response = self.session.post(api + "auth/login", json={"email": email, "password": PASSWORD}, timeout=60)
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def get(self, path):
        response = self.session.get(self.api + path, timeout=600)
        response.raise_for_status()
        return response.json()

    def post(self, path, body, expect=(200, 201)):
        response = self.session.post(self.api + path, json=body, timeout=600)
        if response.status_code not in expect:
            sys.exit(f"POST {path}: HTTP {response.status_code} {response.text[:300]}")
        return response.json()


def fixture_ids(client):
    project = next((p for p in client.get("data/projects") if p["name"] == PROJECT), None)
    if project is None:
        return None
    shots = sorted(client.get(f"data/projects/{project['id']}/shots"), key=lambda s: (s["name"], s["id"]))
    tasks = client.get(f"data/tasks?project_id={project['id']}&page=1&limit=1")
    return {"project": project["id"], "shot": shots[0]["id"], "shot_type": shots[0]["entity_type_id"], "shot_name": shots[0]["name"],
            "sequence": shots[0].get("sequence_id") or shots[0].get("parent_id"), "nb_shots": len(shots),
            "nb_tasks": tasks["total"]}


# --- the routes ----------------------------------------------------------------------------------

def routes(ids):
    p, shot = ids["project"], ids["shot"]
    deep = max(1, ids["nb_tasks"] // 100 - 5)
    return [
        ("projects", "projects list", lambda c: c.get("data/projects")),
        ("project_shots", "project shots (full)", lambda c: c.get(f"data/projects/{p}/shots")),
        # data/entities: Zou's data/shots ignores ?page=, its generic model route pages.
        ("shots_paged", "all shots, page by page",
         lambda c: all_pages(c, f"data/entities?project_id={p}&entity_type_id={ids['shot_type']}")),
        ("shot", "one shot", lambda c: c.get(f"data/shots/{shot}")),
        ("shot_tasks", "tasks of a shot", lambda c: c.get(f"data/shots/{shot}/tasks")),
        ("tasks_page", "tasks page 1", lambda c: c.get("data/tasks?page=1")),
        ("tasks_deep", f"a deep page of a project's tasks ({deep})", lambda c: c.get(f"data/tasks?project_id={p}&page={deep}")),
        ("shots_name", "shots filtered by name", lambda c: c.get(f"data/shots?name={ids['shot_name']}")),
        ("entities_name", "entities filtered by name", lambda c: c.get(f"data/entities?name={ids['shot_name']}")),
        ("create_delete", "create + delete a shot", lambda c: create_delete(c, p, ids["sequence"])),
        ("csv_shots", "shots CSV export", lambda c: csv(c, f"export/csv/projects/{p}/shots.csv")),
    ]


def all_pages(client, path):
    page, pages = 1, 1
    while page <= pages:
        pages = client.get(f"{path}&page={page}")["nb_pages"]
        page += 1


def create_delete(client, project_id, sequence_id):
    shot = client.post(f"data/projects/{project_id}/shots", {"name": f"TMP{secrets.token_hex(4)}", "sequence_id": sequence_id})
    response = client.session.delete(f"{client.api}data/shots/{shot['id']}?force=true", timeout=60)
    if response.status_code not in (200, 204):
        sys.exit(f"DELETE shot: HTTP {response.status_code} {response.text[:200]}")


def csv(client, path):
    response = client.session.get(client.api + path, timeout=600)
    response.raise_for_status()
    assert response.content.count(b"\n") > 100, response.content[:200]


def time_route(client, action, repeat):
    action(client)  # warm-up, not counted
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action(client)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    args = parse_args()
    parsed, ours_db = database_url_parts()
    zou_db = args.zou_database or f"{ours_db}_zou"
    if not (Path(args.zou_venv) / "bin" / "zou").exists():
        sys.exit(f"No Zou in {args.zou_venv}: python3.11 -m venv {args.zou_venv} && {args.zou_venv}/bin/pip install zou==1.0.97")
    ours_email = ensure_ours_admin()
    procs = []
    with tempfile.TemporaryDirectory(prefix="side-by-side-") as folder, \
            open(Path(folder) / "servers.log", "w+") as log:
        folder = Path(folder)
        (folder / "previews").mkdir()
        (folder / "tmp").mkdir()
        try:
            redis, redis_port = start_redis(log)
            procs.append(redis)
            env = zou_env(parsed, zou_db, redis_port, folder)
            if create_database(parsed, zou_db):
                print(f"Zou: new database {zou_db}: init-db, init-data, create-admin")
                zou_command(args.zou_venv, "init-db", env=env)
                zou_command(args.zou_venv, "init-data", env=env)
            zou_command(args.zou_venv, "create-admin", ZOU_ADMIN, "--password", PASSWORD, env=env)
            zou, zou_base = start_zou(args.zou_venv, env, log, folder)
            procs.append(zou)
            ours, ours_base = start_gunicorn(log, workers=2, worker_class="gthread", threads=4, timeout=600)
            procs.append(ours)
            sides = {"ours": Client(ours_base + "/api/", ours_email), "Zou": Client(zou_base + "/", ZOU_ADMIN)}
            ids = {}
            for name, client in sides.items():
                ids[name] = fixture_ids(client)
                if ids[name] is not None and ids[name]["nb_shots"] != SHAPE["shots"] and name == "Zou":
                    sys.exit(f"Zou's database {zou_db} holds a partial fixture (an interrupted run): drop it and run again.")
                if ids[name] is None or ids[name]["nb_shots"] != SHAPE["shots"]:
                    print(f"{name}: seeding the fixture ...", flush=True)
                    start = time.perf_counter()
                    seed_ours() if name == "ours" else seed_zou(client)
                    ids[name] = fixture_ids(client)
                    print(f"{name}: seeded in {time.perf_counter() - start:.0f} s", flush=True)
                print(f"{name}: {ids[name]['nb_shots']} shots, {ids[name]['nb_tasks']} tasks")
            load_before = os.getloadavg()
            times = {}
            for round_number in range(args.rounds):
                order = list(sides) if round_number % 2 == 0 else list(sides)[::-1]
                for name in order:
                    for key, label, action in routes(ids[name]):
                        if args.only and key not in args.only.split(","):
                            continue
                        times.setdefault((key, label), {}).setdefault(name, []).extend(
                            time_route(sides[name], action, args.repeat)
                        )
            load_after = os.getloadavg()
        finally:
            for proc in reversed(procs):
                stop_gunicorn(proc)
    print(f"\nmedians of {args.rounds} rounds x {args.repeat} requests, one keep-alive client; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"{'route':<45}{'Zou ms':>10}{'ours ms':>10}{'ours/Zou':>10}")
    for (key, label), by_side in times.items():
        zou_ms, ours_ms = statistics.median(by_side["Zou"]), statistics.median(by_side["ours"])
        print(f"{label:<45}{zou_ms:>10.1f}{ours_ms:>10.1f}{ours_ms / zou_ms:>10.2f}")


if __name__ == "__main__":
    main()
