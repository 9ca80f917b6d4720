"""What a studio's IT lives through (issue #17), on a private PostgreSQL
cluster the tests start (tests/reliability/pg_cluster.py) and gunicorn with
two sync workers, as in production:

- the database server restarts while clients send requests: every answer
  is a 2xx or a JSON 503 with Retry-After, and service resumes by itself;
- a worker is killed with SIGKILL in the middle of a CSV import, a Shotgun
  import and a publish: every table keeps its exact row count, and the next
  request works;
- a database dumped with pg_dump and restored with pg_restore into a new
  one answers the same rows through the API.

The cluster is made once per module: initdb, then one migrated and seeded
database (the demo production and an admin) that each test copies as a
template. They run whatever database the rest of the suite uses."""

import csv
import io
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
import requests

from bench.servers import children, start_gunicorn, stop_gunicorn
from tests.reliability.pg_cluster import PrivateCluster, postgres_bin_dir

BIN = postgres_bin_dir()
pytestmark = [
    pytest.mark.skipif(BIN is None, reason="no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin"),
    pytest.mark.live,
    # One cluster per module: --dist loadgroup keeps these tests on one xdist worker.
    pytest.mark.xdist_group("private_postgres"),
]

TEMPLATE = "zou_template"
ADMIN_EMAIL = "faults-admin@studio.test"
ADMIN_PASSWORD = "faults-admin-not-a-secret-17"


@pytest.fixture(scope="module")
def cluster():
    cluster = PrivateCluster(BIN)
    try:
        cluster.start()
        cluster.create_database(TEMPLATE)
        cluster.manage(TEMPLATE, "migrate", "--no-input")
        cluster.manage(TEMPLATE, "seed_demo")
        cluster.manage(TEMPLATE, "create_admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def database(cluster):
    """A fresh copy of the seeded template, named for the test."""
    name = f"zou_{uuid.uuid4().hex[:12]}"
    cluster.create_database(name, template=TEMPLATE)
    return name


class Server:
    """gunicorn against one database of the cluster, and an admin's session."""

    def __init__(self, cluster, dbname, workers=2):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="faults-gunicorn-", suffix=".log")
        self.proc, self.base = start_gunicorn(
            self.log, workers=workers, timeout=60, env={"DATABASE_URL": cluster.url(dbname)}
        )
        self.api = self.base + "/api/"
        self.token = login(self.api)

    def session(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def workers(self):
        return set(children(self.proc.pid))

    def log_tail(self):
        self.log.flush()
        self.log.seek(0)
        return "".join(self.log.readlines()[-40:])

    def stop(self):
        stop_gunicorn(self.proc)
        self.log.close()


def login(api):
    answer = requests.post(api + "auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["access_token"]


@pytest.fixture
def serve(cluster):
    started = []

    def serve(dbname, workers=2):
        server = Server(cluster, dbname, workers)
        started.append(server)
        return server

    yield serve
    for server in started:
        server.stop()


def is_json_503(answer):
    return (
        answer.status_code == 503
        and answer.headers.get("Content-Type", "").startswith("application/json")
        and answer.headers.get("Retry-After", "").isdigit()
        and bool(answer.json().get("message"))
    )


# --- acceptance 1: the database restarts under load -----------------------------------------------

class Client(threading.Thread):
    """Sends GETs back to back until told to stop; keeps (time, status or
    error, whether it was a JSON 503 with Retry-After) of each answer."""

    def __init__(self, server, paths):
        super().__init__(daemon=True)
        self.session, self.api, self.paths = server.session(), server.api, paths
        self.answers, self.stopping = [], threading.Event()

    def run(self):
        n = 0
        while not self.stopping.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                # A hung worker would show as a timeout, recorded as a failure.
                answer = self.session.get(self.api + path, timeout=15)
                self.answers.append((time.monotonic(), path, answer.status_code, is_json_503(answer), answer.text[:200]))
            except requests.RequestException as error:
                self.answers.append((time.monotonic(), path, repr(error), False, ""))
            time.sleep(0.01)
        self.session.close()


def succeeded(answer):
    return isinstance(answer[2], int) and 200 <= answer[2] < 300


def test_a_database_restart_is_answered_503_then_service_resumes_by_itself(cluster, database, serve):
    server = serve(database)
    project_id = server.session().get(server.api + "data/projects", timeout=30).json()[0]["id"]
    clients = [Client(server, ["data/projects", f"data/shots/all?project_id={project_id}", "data/tasks?page=1"]) for _ in range(2)]
    for client in clients:
        client.start()
    time.sleep(1)
    cluster.stop("fast")
    down = time.monotonic()
    time.sleep(2)
    # The admin is not a DRF view: an outage met there is the same 503.
    admin = requests.get(server.base + "/admin/", cookies={"sessionid": "x" * 32}, timeout=15)
    starting = time.monotonic()
    cluster.start()
    up = time.monotonic()
    deadline = up + 12
    while time.monotonic() < deadline:
        time.sleep(0.5)
        recent = [a for client in clients for a in client.answers if a[0] > time.monotonic() - 2]
        if time.monotonic() > up + 2 and recent and all(succeeded(a) for a in recent):
            break
    for client in clients:
        client.stopping.set()
        client.join(timeout=30)
    answers = sorted(a for client in clients for a in client.answers)

    assert is_json_503(admin), (admin.status_code, admin.headers, admin.text[:300])
    bad = [a for a in answers if not succeeded(a) and not a[3]]
    assert not bad, f"answers neither 2xx nor a JSON 503: {bad[:5]}\n{server.log_tail()}"
    # Sent and answered while the server was down (a request answered just
    # after the stop may have done its queries before it).
    outage = [a for a in answers if down + 0.5 < a[0] < starting]
    assert outage and all(a[3] for a in outage), f"no 503 seen while the database was down: {outage[:5]}"
    last_failure = max((a[0] - up for a in answers if a[0] > up and not succeeded(a)), default=0)
    assert last_failure < 10, f"still failing {last_failure:.1f} s after the database came back"
    after = [a for a in answers if a[0] > up + last_failure]
    assert len(after) >= 10 and all(succeeded(a) for a in after), after[-5:]


# --- acceptance 2: a worker killed in the middle of a write ---------------------------------------

def csv_import(server, session):
    """A tasks sheet (the demo's own export, every task renamed): the import
    writes the tasks, then their assignees."""
    project_id = session.get(server.api + "data/projects", timeout=30).json()[0]["id"]
    export = session.get(server.api + f"export/csv/tasks.csv?project_id={project_id}", timeout=60)
    assert export.status_code == 200, export.text[:300]
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert any(row["Assignee"] for row in rows)
    sheet = io.StringIO()
    writer = csv.DictWriter(sheet, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows({**row, "Name": "retake"} for row in rows)
    files = {"file": ("tasks.csv", sheet.getvalue().encode(), "text/csv")}
    return ("POST", "data/import/csv/tasks", {"files": files}), "production_task", "production_task_assignees"


def shotgun_import(server, session):
    """Projects with a status the database lacks: the import creates the
    status, then the projects."""
    records = [{"type": "Project", "id": 9000 + n, "name": f"Killed {n}", "sg_status": "Bidding"} for n in range(50)]
    return ("POST", "data/import/shotgun/projects", {"json": records}), "production_projectstatus", "production_project"


def publish(server, session):
    """A publish writes the working file, then the output file (then a comment
    and the task's status)."""
    project_id = session.get(server.api + "data/projects", timeout=30).json()[0]["id"]
    tree = session.post(server.api + "project/set-tree", json={"project_id": project_id, "tree_name": "simple"}, timeout=30)
    assert tree.status_code < 300, tree.text[:300]
    task_id = session.get(server.api + f"data/tasks?project_id={project_id}&page=1", timeout=30).json()["data"][0]["id"]
    body = {"task_id": task_id, "comment": "killed mid-publish"}
    return ("POST", "project/files/working-files/publish", {"json": body}), "files_workingfile", "files_outputfile"


WRITES = {"csv-import": csv_import, "shotgun-import": shotgun_import, "publish": publish}


def backend_between_writes(cluster, dbname, written, blocked):
    """Wait until a backend of the database holds a row-writing lock on
    `written` (it has inserted there: its transaction is open and has a
    transaction id) and waits for a lock on `blocked`; answer (backend pid,
    its client's port)."""
    return cluster.wait_for(
        f"""SELECT a.pid, a.client_port FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
        AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted AND l.relation = '{blocked}'::regclass)
        AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock'
                    AND l.relation = '{written}'::regclass)""",
        dbname,
    )


def process_with_connection(local_port, remote_port, pids):
    """The pid among `pids` owning the TCP connection local_port → remote_port
    (from /proc/net/tcp and each process's file descriptors)."""
    inode = None
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == local_port and int(fields[2].split(":")[1], 16) == remote_port:
                inode = fields[9]
    assert inode, f"no TCP connection from port {local_port} to {remote_port}"
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no process of {pids} holds the connection from port {local_port}")


@pytest.mark.parametrize("write", list(WRITES))
def test_a_worker_killed_in_the_middle_of_a_write_leaves_every_table_as_it_was(write, cluster, database, serve):
    server = serve(database)
    session = server.session()
    (method, path, kwargs), written, blocked = WRITES[write](server, session)
    before = cluster.row_counts(database)
    # Holding a SHARE lock on the table written second stops the request's
    # transaction between its two writes, whatever the machine's speed.
    holder = cluster.connect(database)
    holder.autocommit = False
    holder.cursor().execute(f"LOCK TABLE {blocked} IN SHARE MODE")
    outcome = {}

    def send():
        try:
            outcome["answer"] = server.session().request(method, server.api + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            outcome["error"] = error

    request = threading.Thread(target=send, daemon=True)
    request.start()
    try:
        backend, client_port = backend_between_writes(cluster, database, written, blocked)
        os.kill(process_with_connection(client_port, cluster.port, server.workers()), signal.SIGKILL)
        request.join(timeout=30)
    finally:
        holder.rollback()
        holder.close()
    # PostgreSQL ends the orphaned backend (rolling its transaction back) once
    # it finds its client gone.
    cluster.wait_for(f"SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {backend})", database)

    assert "error" in outcome, f"the killed worker answered: {outcome['answer'].status_code} {outcome['answer'].text[:200]}"
    assert cluster.row_counts(database) == before
    again = session.request(method, server.api + path, timeout=60, **kwargs)
    assert again.status_code in (200, 201), f"{again.status_code} {again.text[:300]}\n{server.log_tail()}"
    after = cluster.row_counts(database)
    assert after[written] > before[written] and after[blocked] > before[blocked]


# --- backups: pg_dump, pg_restore into a new database, the same rows ------------------------------

BACKED_UP_LISTS = [
    "data/projects", "data/persons", "data/departments", "data/task-types", "data/task-status", "data/episodes",
    "data/sequences", "data/shots", "data/assets", "data/tasks", "data/comments", "data/time-spents",
]


def test_a_database_restored_from_its_dump_answers_the_same_rows(cluster, database, serve):
    """The README's backup procedure: `pg_dump --format=custom`, then
    `pg_restore --no-owner` into a new database; the original is dropped
    before the restored one is served, so nothing is read from it."""
    original = serve(database)
    session = original.session()
    answers = {path: session.get(original.api + path, timeout=60).json() for path in BACKED_UP_LISTS}
    assert all(answers.values()), {path: len(rows) for path, rows in answers.items()}
    original.stop()
    dump = cluster.dir / "backup.dump"
    connection = ["--host", "127.0.0.1", "--port", str(cluster.port), "--username", "postgres"]
    subprocess.run([str(BIN / "pg_dump"), *connection, "--format=custom", "--file", str(dump), database], check=True, timeout=120)
    cluster.execute(f'DROP DATABASE "{database}"')
    restored = f"{database}_restored"
    cluster.create_database(restored)
    subprocess.run(
        [str(BIN / "pg_restore"), *connection, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
        check=True, timeout=120,
    )

    server = serve(restored)  # logs in with the password kept in the dump
    session = server.session()
    for path, rows in answers.items():
        assert session.get(server.api + path, timeout=60).json() == rows, path
