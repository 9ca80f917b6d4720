"""Shared helpers of the reliability suite (issue #9): row-count snapshots of
every table, a seeded production, a live server driven over real HTTP, and a
check that a route another app is still writing exists."""

import gc
import json
import time

import pytest
import requests
from django.apps import apps
from django.db import connection
from django.urls import Resolver404, resolve

from tests.conftest import client_for, make_person
from zou_site.authentication import issue_tokens


def row_counts():
    """{table: row count} for every table of every installed app, many-to-many
    link tables included."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


def changed_counts(before, after):
    return {table: (before[table], after[table]) for table in before if before[table] != after[table]}


def route_exists(path):
    """Whether /api/<path> is routed (another engineer's route may not have landed)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def is_postgres():
    return connection.vendor == "postgresql"


def body_of(response):
    """The bytes of a DRF test response (streamed or not) or a requests response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_json_message(response, status):
    """The status asked for, and a JSON body with a non-empty `message`
    (works for DRF test responses and requests responses alike)."""
    code = getattr(response, "status_code", None)
    body = body_of(response)
    assert code == status, f"expected {status}, got {code}: {body[:500]!r}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"not JSON ({content_type}): {body[:500]!r}"
    data = json.loads(body)
    assert isinstance(data, dict), data
    assert isinstance(data.get("message"), str) and data["message"].strip(), data
    return data


@pytest.fixture
def admin(db):
    return make_person("admin", email="rel-admin@studio.test", first_name="Rel", last_name="Admin")


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


@pytest.fixture
def admin_token(admin):
    return issue_tokens(admin)[0]


class LiveApi:
    """requests against the live server, one Session per instance: give each
    thread its own (a Session is not thread-safe)."""

    def __init__(self, base_url, token=None):
        self.base = f"{base_url}/api/"
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path):
        return self.base + path.lstrip("/")

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def close(self):
        self.session.close()


@pytest.fixture
def live_api_factory(live_server, admin_token):
    """Make LiveApi clients (one per thread), closed at the end of the test."""
    made = []

    def make(token=admin_token):
        api = LiveApi(live_server.url, token)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()
    wait_for_server_connections_to_close()


def wait_for_server_connections_to_close(timeout=2):
    """The live server's request threads close their database connections once
    their client has gone. A client socket can outlive its test (a response
    held by a failed assertion's traceback keeps its keep-alive connection), so
    what is still idle after a moment is ended: PostgreSQL must be able to drop
    the test database at the end of the run."""
    if not is_postgres():
        return
    gc.collect()
    others = (
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others} AND state = 'idle'")
