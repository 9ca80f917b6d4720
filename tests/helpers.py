"""Helpers of the tests: clients, row-count snapshots, JSON error checks, the
live-server client and the committed query-count baseline."""

import functools
import gc
import html
import json
import re
import time
from pathlib import Path

import requests
from django.apps import apps
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from production.auth.tokens import issue_tokens

TESTS_DIR = Path(__file__).resolve().parent
# Our own Shotgun exports, CSV sheets and pictures of a made-up production (tests/fixtures/README.md).
FIXTURES_DIR = TESTS_DIR / "fixtures"
THUMBNAIL = FIXTURES_DIR / "thumbnails" / "harbour.png"
TREES = TESTS_DIR.parent / "files" / "trees"
QUERY_COUNTS = TESTS_DIR / "query_counts.json"


def shipped_tree(name):
    return json.loads((TREES / f"{name}.json").read_text())


@functools.cache
def query_counts():
    return json.loads(QUERY_COUNTS.read_text())


def assert_query_baseline(django_assert_max_num_queries, key):
    """A context that fails when the requests inside it run more queries than
    tests/query_counts.json allows for `key` (a route, or an admin page): the
    one committed baseline, so a change that adds a query shows in one diff.
    `key` must be in the file: add it there with the count the change needs."""
    try:
        limit = query_counts()[key]
    except KeyError:
        raise KeyError(f"no query baseline for {key!r}: add it to tests/query_counts.json") from None
    return django_assert_max_num_queries(limit, info=f"{key}: its baseline in tests/query_counts.json is {limit} queries")


class ApiTestClient(APIClient):
    """DRF's test client that also reads streamed answers (the big lists)."""

    def _parse_json(self, response, **extra):
        if getattr(response, "streaming", False):
            return json.loads(b"".join(response.streaming_content), **extra)
        return super()._parse_json(response, **extra)


def client_for(person):
    client = ApiTestClient()
    access, _ = issue_tokens(person)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def shot_page_with_task_status(shot, task, status):
    """The POST of a shot's admin page changing one task row's status."""
    return {
        "project": shot.project_id, "parent": shot.parent_id, "name": shot.name, "description": "",
        "frame_in": shot.frame_in, "frame_out": shot.frame_out, "nb_frames": "", "shotgun_id": "",
        "data": '{"frame_in": %d, "frame_out": %d}' % (shot.frame_in, shot.frame_out),
        "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "1", "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000",
        "casting_links-TOTAL_FORMS": "0", "casting_links-INITIAL_FORMS": "0",
        "tasks-0-id": task.pk, "tasks-0-entity": shot.pk, "tasks-0-task_type": task.task_type_id,
        "tasks-0-name": task.name, "tasks-0-task_status": status.pk,
    }


def shot_page_with_casting(shot, rows, initial=0):
    """The shot page's POST with `rows` of the casting inline (dicts of its
    fields; the first `initial` are existing links) and no task row."""
    data = {
        "project": shot.project_id, "parent": shot.parent_id, "name": shot.name, "description": shot.description,
        "frame_in": "", "frame_out": "", "nb_frames": "", "shotgun_id": "", "data": "null",
        "tasks-TOTAL_FORMS": "0", "tasks-INITIAL_FORMS": "0",
        "casting_links-TOTAL_FORMS": str(len(rows)), "casting_links-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(rows):
        data |= {f"casting_links-{index}-{key}": value for key, value in row.items()}
    return data


def history_rows(page):
    """The rows of a History page's table, each as its cells' text after the
    date: [who, row, field, old, new] for a change, [who, "", message] for
    an admin edit logged before the row had events."""
    if 'id="event-history"' not in page:
        return []
    body = page[page.index('id="event-history"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [
        [html.unescape(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def browser_for(person):
    """A browser of the admin, signed in as `person`."""
    client = Client()
    client.force_login(person)
    return client

def row_counts(*app_labels):
    """{table: row count} for every table of every installed app (or of the
    apps named), many-to-many link tables included."""
    models = (
        [m for label in app_labels for m in apps.get_app_config(label).get_models(include_auto_created=True)]
        if app_labels
        else apps.get_models(include_auto_created=True)
    )
    return {
        model._meta.db_table: model._base_manager.count()
        for model in models
        if model._meta.managed and not model._meta.proxy
    }


def changed_counts(before, after):
    return {table: (before[table], after[table]) for table in before if before[table] != after[table]}


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
