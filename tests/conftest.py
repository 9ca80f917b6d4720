"""Shared fixtures: real rows in a real database, real HTTP through DRF's
client, gazu against a live server; and the one rule for PostgreSQL-only tests."""

import os

import gazu
import pytest
from django.db import connection

from tests.factories import PASSWORD, make_person, make_production
from tests.helpers import ApiTestClient, client_for


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite lets one writer in at a time and has no row locks, so these races and "
            "limits do not exist there (run with DATABASE_URL=postgres://...)"
        )


@pytest.fixture
def admin_person(db):
    return make_person("admin", email="admin@studio.test", first_name="Ada", last_name="Admin")


@pytest.fixture
def api_client(admin_person):
    """An APIClient authenticated as an admin person."""
    return client_for(admin_person)


@pytest.fixture
def anon_client():
    return ApiTestClient()


@pytest.fixture
def production(db):
    return make_production()


@pytest.fixture
def media_root(settings, tmp_path):
    """A throwaway MEDIA_ROOT, so thumbnails land in a tmp folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gazu_as(live_server):
    """Log gazu 1.3.1 in to the live server, over HTTP with a password, as a
    new person: `gazu_as("manager", email=...)` answers the person."""

    def log_in(role="admin", **fields):
        person = make_person(role, **fields)
        gazu.set_host(f"{live_server.url}/api")
        gazu.log_in(person.email, PASSWORD)
        return person

    yield log_in
    gazu.client.default_client.tokens = {"access_token": None, "refresh_token": None}
    # A kept-alive connection would hold a server thread, and with it a
    # database connection, past the test: PostgreSQL could not drop the test database.
    gazu.client.default_client.session.close()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, worker_id, tmp_path_factory):
    """One real Celery worker per xdist worker, on its test database (PostgreSQL:
    the worker is another process, which an SQLite test database in memory
    would not reach) and its own Redis queue. Started by the first test that
    asks for it (the `real_worker` fixture), stopped before the test database goes."""
    from tests.celery_worker import CeleryWorker, redis_or_skip

    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs PostgreSQL: the test database must be reachable from another process")
    redis_or_skip()
    log_dir = tmp_path_factory.mktemp("celery")
    worker = CeleryWorker(
        settings_dict=connection.settings_dict, media_root=log_dir / "media", log_dir=log_dir, name=f"{worker_id}-{os.getpid()}"
    )
    worker.start()
    yield worker
    worker.stop()
    worker.purge()


@pytest.fixture
def real_worker(celery_worker_process, transactional_db, settings):
    """Tasks sent by this test go to the real worker (not in-process), which
    reads what the test committed; the test's files go where it reads them."""
    from zou_site.celery import app

    settings.MEDIA_ROOT = celery_worker_process.media_root
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue", "broker_transport_options")}
    app.conf.update(
        task_always_eager=False,
        broker_url=celery_worker_process.redis_url,
        task_default_queue=celery_worker_process.queue,
        broker_transport_options=celery_worker_process.transport_options,
    )
    _new_connection_pool(app)
    yield celery_worker_process
    app.conf.update(saved)
    _new_connection_pool(app)


def _new_connection_pool(app):
    """The app's connections are pooled from the broker URL they were first
    made with: drop them so the next message goes where the conf now says
    (not closed: kombu keeps producer pools per URL, and hands a closed one back)."""
    app._pool = None
    app.amqp._producer_pool = None
