"""The live event stream across processes, as in production (README, "The live
event stream"): the events server is its own gunicorn (zou_site.events_wsgi,
gthread, websockets) listening on Redis, and whichever API worker serves a
change, a listener allowed to see it receives its event (issue 19, acceptance 2).

Redis is 127.0.0.1:6379 db 3 (TEST_REDIS_URL to change it); each test has a
channel of its own, so parallel workers and other runs never cross."""

import os
import sqlite3
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection

from bench.servers import start_gunicorn, stop_gunicorn
from production.auth.tokens import issue_tokens
from production.models import Asset, AssetType, Task, TaskStatus
from tests.factories import make_person
from tests.production.listeners import Listener, close_all, two_teams

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


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


def test_a_change_through_either_api_worker_reaches_the_listeners_who_see_it(redis_channel, tmp_path):
    teams = two_teams()
    project, task, other, artist, outsider = (teams[key] for key in ("project", "task", "other", "artist", "outsider"))
    lamp = Asset.objects.create(name="Lamp", project=other, entity_type=AssetType.objects.create(name="Sets"))
    other_task = Task.objects.create(
        name="main", project=other, task_type=task.task_type, task_status=task.task_status, entity=lamp
    )
    done = TaskStatus.objects.get(short_name="done")
    manager = make_person("manager")
    tokens = {person: issue_tokens(person)[0] for person in (artist, outsider, manager)}
    env = {
        "DATABASE_URL": shared_database_url(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,  # the tokens above are signed with it
        "REDIS_URL": REDIS_URL,
        "EVENTS_REDIS_CHANNEL": redis_channel,
    }
    with tempfile.TemporaryDirectory(prefix="events-gunicorn-") as logs, ExitStack() as files:
        servers = [
            {"app": "zou_site.events_wsgi:application", "ready": ("/socket.io/?EIO=4&transport=polling", 401),
             "worker_class": "gthread", "threads": 20},
            {},  # two API servers of one worker each: two processes, known apart
            {},
        ]

        def start(index):
            log = files.enter_context(open(os.path.join(logs, f"{index}.log"), "w+"))
            return start_gunicorn(log, workers=1, env=env, **servers[index])

        with ThreadPoolExecutor(3) as pool:
            futures = [pool.submit(start, index) for index in range(3)]
        started = [future.result() for future in futures if future.exception() is None]
        listeners = []
        try:
            for future in futures:
                if future.exception() is not None:
                    raise future.exception()
            (_, events_url), *api_servers = started
            listeners = [
                Listener(events_url, events_url, tokens={"access_token": tokens[person], "refresh_token": None})
                for person in (artist, outsider)
            ]
            # gunicorn's gthread worker hands its socket over: the listeners move to websockets.
            assert wait_until(lambda: all(listener.events.transport() == "websocket" for listener in listeners))

            for (_, api_url), changed in zip(api_servers, (task, other_task)):
                answer = requests.put(
                    f"{api_url}/api/data/tasks/{changed.pk}", json={"task_status_id": str(done.pk)},
                    headers={"Authorization": f"Bearer {tokens[manager]}"}, timeout=30,
                )
                assert answer.status_code == 200, answer.text
            on_team, off_team = (listener.wait_for(1) for listener in listeners)
            assert [(name, data["task_id"], data["project_id"]) for name, data in on_team] == [
                ("task:update", str(task.pk), str(project.pk))
            ]
            assert [(name, data["task_id"], data["project_id"]) for name, data in off_team] == [
                ("task:update", str(other_task.pk), str(other.pk))
            ]
        finally:
            close_all(listeners)
            for proc, _ in started:
                stop_gunicorn(proc)
