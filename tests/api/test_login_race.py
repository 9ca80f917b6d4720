"""Issue 13 finding 6 / acceptance 5: parallel wrong logins against several
gunicorn worker processes check at most LOGIN_MAX_FAILURES passwords.

The test starts gunicorn (5 sync workers, each its own process with its own
database connection) on a free port against the test database, and sends 40
wrong logins for one email at once. What it counts is what the server left
behind: each password actually checked leaves its FailedLogin row, each
attempt refused by the lockout takes its reservation back."""

import os
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from production.models import FailedLogin
from tests.factories import make_person

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.live,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
WORKERS, ATTEMPTS, MAX_FAILURES = 5, 40, 5


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn_server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time (run with DATABASE_URL=postgres://...)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="zou_site.settings_test",
        DATABASE_URL=database_url(),
        DB_CONN_MAX_AGE="0",
        LOGIN_MAX_FAILURES=str(MAX_FAILURES),
        SECRET_KEY="login-race-test",
    )
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "zou_site.wsgi:application",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--log-level", "warning",
    ]
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(120):
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                requests.get(f"{base}/", timeout=10)
                break
            except requests.RequestException:  # bound, workers still booting
                threading.Event().wait(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_parallel_wrong_logins_check_at_most_login_max_failures_passwords(gunicorn_server):
    person = make_person("user", email="race@studio.test")
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(n):
        barrier.wait(timeout=30)
        return requests.post(f"{gunicorn_server}/auth/login", json={"email": person.email, "password": f"wrong-{n}"}, timeout=60)

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        answers = list(pool.map(attempt, range(ATTEMPTS)))

    checked = FailedLogin.objects.filter(email=person.email).count()
    statuses = [answer.status_code for answer in answers]
    assert 1 <= checked <= MAX_FAILURES, statuses
    assert statuses.count(400) == checked and statuses.count(401) == ATTEMPTS - checked, statuses
    assert all("Too many failed logins" in a.json()["message"] for a in answers if a.status_code == 401)
