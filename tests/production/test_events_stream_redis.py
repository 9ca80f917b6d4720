"""The live event stream across processes, as in production (README, "The live
event stream"): the events server is its own gunicorn (zou_site.events_wsgi,
gthread, websockets) listening on Redis, and whichever process publishes an
event, a listener allowed to see it receives it (issue 19, acceptance 2).

Redis is 127.0.0.1:6379 db 3 (TEST_REDIS_URL to change it); each test has a
channel of its own, so parallel workers and other runs never cross."""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.db import connection

from bench.servers import ROOT, start_gunicorn, stop_gunicorn
from production.auth.tokens import issue_tokens
from tests.production.listeners import Listener, close_all, two_teams

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")

PUBLISH = """
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "zou_site.settings"
django.setup()
from production import events_stream
from tests.production.listeners import StandInEvent
events_stream.publish([StandInEvent(**event) for event in json.loads(sys.argv[1])])
"""


@pytest.fixture
def redis_channel():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            raise  # .ci/run starts Redis: its absence there is a failure
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return f"zou-events-test-{uuid.uuid4().hex}"


def shared_database_url(folder):
    """The test database for other processes: PostgreSQL's as it is, SQLite's
    in-memory one copied into a file (rows made after the copy stay here)."""
    if connection.vendor == "sqlite":
        path = folder / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_an_event_published_by_any_process_reaches_the_listeners_who_see_it(redis_channel, tmp_path):
    teams = two_teams()
    project, task, other, artist, outsider = (teams[key] for key in ("project", "task", "other", "artist", "outsider"))
    tokens = {person: {"access_token": issue_tokens(person)[0], "refresh_token": None} for person in (artist, outsider)}
    env = {
        "DATABASE_URL": shared_database_url(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,  # the tokens above are signed with it
        "REDIS_URL": REDIS_URL,
        "EVENTS_REDIS_CHANNEL": redis_channel,
    }
    with tempfile.NamedTemporaryFile("w+", prefix="events-gunicorn-", suffix=".log") as log:
        proc, events_url = start_gunicorn(
            log, workers=1, worker_class="gthread", threads=20, env=env,
            app="zou_site.events_wsgi:application", ready=("/socket.io/?EIO=4&transport=polling", 401),
        )
        listeners = []
        try:
            listeners = [Listener(events_url, events_url, tokens=tokens[person]) for person in (artist, outsider)]
            # gunicorn's gthread worker hands its socket over: the listeners move to websockets.
            assert wait_until(lambda: all(listener.events.transport() == "websocket" for listener in listeners))

            def publish_from_a_process(events):
                subprocess.run(
                    [sys.executable, "-c", PUBLISH, json.dumps(events)], cwd=ROOT, env={**os.environ, **env},
                    check=True, capture_output=True, timeout=60,
                )

            task_event = {"name": "task:update", "data": {"task_id": str(task.pk)}, "project_id": str(project.pk)}
            other_event = {"name": "task:update", "data": {"task_id": "t2"}, "project_id": str(other.pk)}
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(publish_from_a_process, [[task_event], [other_event]]))
            expected = ("task:update", {"task_id": str(task.pk), "project_id": str(project.pk)})
            assert listeners[0].wait_for(1) == [expected]
            assert listeners[1].wait_for(1) == [("task:update", {"task_id": "t2", "project_id": str(other.pk)})]
        finally:
            close_all(listeners)
            stop_gunicorn(proc)
