"""A catalogue of bad input (issue #9): every case is refused with the exact
4xx it deserves, a JSON body with a non-empty `message`, and no table gains or
loses a row. gazu takes 409/429/503 for success, so client errors are only
400/401/403/404/405/413 (415 for a media type the route does not parse).

Cases run in-process through DRF's client (the whole middleware and view
stack, real database); the announced-oversize body goes over a real socket."""

import json
import socket
import uuid
from dataclasses import dataclass, field as dc_field

import pytest
from django.conf import settings
from django.db import connection

from production.models import Project
from tests.factories import make_person
from tests.helpers import assert_json_message, changed_counts, row_counts

UNKNOWN = "6f1c2d3e-0000-4000-8000-000000000000"
DEPTH = 10_000

# Found by the larger fuzz run (FUZZ_EXAMPLES=50, PostgreSQL).
@dataclass
class Case:
    id: str
    method: str
    # Formatted with the ids of the seeded production: {project} {task} {shot}
    # {person} {sequence} {todo} {task_type}.
    path: str
    status: int
    # A JSON-able value, or raw bytes sent as they are.
    body: object = None
    content_type: str = "application/json"
    # The field an error must name in `errors` (and the message mention).
    names: str = None
    settings: dict = dc_field(default_factory=dict)
    # Means something on PostgreSQL only (SQLite's integers are 64-bit).
    postgres_only: bool = False
    # Tables a refused request may still write to, by design.
    allow: tuple = ()


def nested(depth, open_="[", close="]"):
    return (open_ * depth + close * depth).encode()


def nested_objects(depth):
    return ('{"a":' * depth + "1" + "}" * depth).encode()


CASES = [
    # --- body size ---------------------------------------------------------------
    Case("oversized-json-body", "post", "data/projects", 413,
         body={"name": "Big", "description": "x" * 5000}, settings={"MAX_REQUEST_SIZE": 4096}),
    Case("oversized-action-body", "put", "actions/persons/{person}/assign", 413,
         body={"task_ids": ["{task}"] * 500}, settings={"MAX_REQUEST_SIZE": 4096}),
    # --- malformed JSON ----------------------------------------------------------
    Case("deeply-nested-list", "post", "data/projects", 400, body=nested(DEPTH)),
    Case("deeply-nested-object", "post", "data/projects", 400, body=nested_objects(DEPTH)),
    Case("deeply-nested-list-in-action", "put", "data/tasks/{task}/assign", 400, body=nested(DEPTH)),
    Case("deeply-nested-in-a-field", "post", "data/projects", 400,
         body=b'{"name": "Deep", "data": ' + nested(DEPTH) + b"}"),
    # Just under and around the interpreter's recursion limit: the parser and
    # whatever walks the parsed body must both cope.
    Case("nested-900", "post", "data/projects", 400, body=nested(900)),
    Case("nested-990", "post", "data/projects", 400, body=nested(990)),
    Case("invalid-utf8", "post", "data/projects", 400, body=b'{"name": "caf\xe9 \xff\xfe"}'),
    Case("invalid-utf8-in-action", "post", "actions/tasks/{task}/comment", 400,
         body=b'{"task_status_id": "{todo}", "comment": "\xc3\x28"}'),
    Case("truncated-json", "post", "data/projects", 400, body=b'{"name": "Half'),
    Case("json-with-nan", "post", "data/tasks", 400,
         body=b'{"name": "nan", "project_id": "{project}", "entity_id": "{shot}", "task_type_id": "{task_type}", "estimation": NaN}'),
    Case("empty-body-declared-json", "put", "data/tasks/{task}/assign", 400, body=b""),
    # --- wrong content types -----------------------------------------------------
    Case("text-plain", "post", "data/projects", 415, body=b'{"name": "Plain"}', content_type="text/plain"),
    Case("xml", "post", "data/projects", 415, body=b"<project><name>X</name></project>", content_type="application/xml"),
    Case("xml-on-action", "put", "actions/persons/{person}/assign", 415,
         body=b"<task_ids/>", content_type="application/xml"),
    Case("multipart-where-json-list-expected", "put", "actions/persons/{person}/assign", 400,
         body="multipart:task_ids={task}", content_type="multipart/form-data"),
    Case("multipart-to-json-only-shotgun-import", "post", "data/import/shotgun/projects", 415,
         body="multipart:records=[]", content_type="multipart/form-data"),
    Case("form-to-json-only-shotgun-import", "post", "data/import/shotgun/projects", 415,
         body=b"records=1", content_type="application/x-www-form-urlencoded"),
    # --- a body that is not an object ---------------------------------------------
    Case("list-body-create", "post", "data/projects", 400, body=[{"name": "In a list"}]),
    Case("string-body-create", "post", "data/projects", 400, body="name"),
    Case("number-body-create", "post", "data/projects", 400, body=42),
    Case("null-body-create", "post", "data/projects", 400, body=None),
    Case("list-body-update", "put", "data/projects/{project}", 400, body=["name", "Renamed"]),
    Case("list-body-assign", "put", "data/tasks/{task}/assign", 400, body=["{person}"]),
    Case("string-body-person-assign", "put", "actions/persons/{person}/assign", 400, body="{task}"),
    Case("number-body-time-spent", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}/add", 400, body=60),
    Case("list-body-comment", "post", "actions/tasks/{task}/comment", 400, body=["{todo}", "hello"]),
    Case("list-body-clear-assignation", "put", "actions/tasks/clear-assignation", 400, body=["{task}"]),
    Case("list-body-helper-create", "post", "data/projects/{project}/shots", 400, body=[{"name": "SH9"}]),
    Case("string-body-entity-tasks", "post", "data/entities/{shot}/tasks", 400, body="{task_type}"),
    Case("task-ids-not-a-list", "put", "actions/persons/{person}/assign", 400, body={"task_ids": "{task}"}, names="task_ids"),
    Case("nested-object-for-a-name", "post", "data/projects", 400, body={"name": {"first": "A"}}, names="name"),
    Case("list-for-a-foreign-key", "post", "data/shots", 400,
         body={"name": "SHX", "project_id": ["{project}"]}, names="project_id"),
    # --- ids in URLs and bodies --------------------------------------------------------
    Case("unknown-uuid-in-url", "get", f"data/projects/{UNKNOWN}", 404),
    Case("malformed-uuid-in-url", "get", "data/projects/not-a-uuid", 404),
    Case("malformed-uuid-update", "put", "data/shots/12345", 404, body={"name": "X"}),
    Case("malformed-uuid-delete", "delete", "data/tasks/zzz", 404),
    Case("traversal-in-url", "get", "data/projects/..%2F..%2Fetc/shots", 404),
    Case("unknown-route", "get", "data/no-such-type", 404),
    Case("too-many-segments", "get", "data/projects/{project}/shots/extra/segments", 404),
    Case("malformed-task-id-action", "put", "data/tasks/not-a-uuid/start", 404),
    Case("unknown-task-id-action", "post", f"actions/tasks/{UNKNOWN}/comment", 404, body={"task_status_id": "{todo}"}),
    Case("unknown-person-in-url", "put", f"actions/persons/{UNKNOWN}/assign", 404, body={"task_ids": ["{task}"]}),
    Case("malformed-person-in-time-spent-url", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/bob/add", 404,
         body={"duration": 60}),
    Case("malformed-person-id-in-body", "put", "data/tasks/{task}/assign", 400, body={"person_id": "bob"}, names="person_id"),
    Case("unknown-person-id-in-body", "put", "data/tasks/{task}/assign", 400, body={"person_id": UNKNOWN}, names="person_id"),
    Case("unknown-task-in-task-ids", "put", "actions/persons/{person}/assign", 400,
         body={"task_ids": ["{task}", UNKNOWN]}, names="task_ids"),
    Case("malformed-task-in-task-ids", "put", "actions/tasks/clear-assignation", 400,
         body={"task_ids": ["{task}", "nope"]}, names="task_ids"),
    Case("unknown-foreign-key-in-create", "post", "data/shots", 400,
         body={"name": "SHU", "project_id": UNKNOWN}, names="project_id"),
    Case("malformed-foreign-key-in-create", "post", "data/shots", 400,
         body={"name": "SHM", "project_id": "1234"}, names="project_id"),
    Case("malformed-client-chosen-id", "post", "data/projects", 400, body={"id": "42", "name": "Mine"}, names="id"),
    Case("unknown-status-in-comment", "post", "actions/tasks/{task}/comment", 400, body={"task_status_id": UNKNOWN},
         names="task_status_id"),
    Case("unknown-id-in-many-to-many", "put", "data/projects/{project}", 400,
         body={"name": "Renamed", "team": ["{person}", UNKNOWN]}, names="team"),
    Case("malformed-id-filter", "get", "data/shots?project_id=not-a-uuid", 400, names="project_id"),
    Case("malformed-json-list-filter", "get", 'data/shots?id=["a",', 400, names="id"),
    Case("unknown-filter", "get", "data/shots?colour=red", 400, names="colour"),
    Case("malformed-boolean-filter", "get", "data/shots?canceled=maybe", 400, names="canceled"),
    # --- NUL characters (PostgreSQL refuses \x00 in text) ------------------------------
    Case("nul-in-name", "post", "data/projects", 400, body={"name": "Nul\x00Project"}, names="name"),
    Case("nul-in-text-field", "post", "data/projects", 400, body={"name": "Nul text", "description": "a\x00b"},
         names="description"),
    # The message names the innermost key holding the NUL.
    Case("nul-in-json-field", "post", "data/projects", 400, body={"name": "Nul json", "data": {"k": "a\x00b"}},
         names="k"),
    Case("nul-in-json-key", "post", "data/projects", 400, body={"name": "Nul key", "data": {"a\x00b": 1}}, names="data"),
    Case("nul-in-comment", "post", "actions/tasks/{task}/comment", 400,
         body={"task_status_id": "{todo}", "comment": "looks\x00good"}, names="comment"),
    Case("nul-in-filter", "get", "data/projects?name=a%00b", 400, names="name"),
    Case("nul-in-multipart-json-field", "post", "data/projects", 400,
         body='multipart:name=Nul multipart&data={"k": "a\\u0000b"}', content_type="multipart/form-data", names="k"),
    Case("nul-in-form-field", "post", "data/departments", 400, body=b"name=Nul%00dept",
         content_type="application/x-www-form-urlencoded", names="name"),
    Case("nul-in-shotgun-error-event", "post", "data/import/shotgun/errors", 400, body={"event": "a\x00b"}),
    # A failed login is recorded by design (lockout): that table may grow.
    Case("nul-in-login-email", "post", "auth/login", 400, body={"email": "a\x00@b.test", "password": "x"},
         allow=("production_failedlogin",)),
    Case("nul-in-url-id", "get", "data/projects/%00", 404),
    Case("nul-in-shotgun-record", "post", "data/import/shotgun/projects", 400,
         body=[{"type": "Project", "id": 9001, "name": "Nul\x00SG"}]),
    # --- lone surrogates: valid JSON escapes, not encodable text ----------------------------------
    Case("lone-surrogate-in-name", "post", "data/projects", 400, body=b'{"name": "lone \\udc00"}', names="name"),
    Case("lone-surrogate-in-json-field", "post", "data/projects", 400,
         body=b'{"name": "Surrogate json", "data": {"k": "\\udc00"}}'),
    Case("lone-surrogate-in-shotgun-error", "post", "data/import/shotgun/errors", 400, body=b'{"event": "\\udc00"}'),
    # --- lengths, numbers, dates ---------------------------------------------------------------
    Case("overlong-project-name", "post", "data/projects", 400, body={"name": "P" * 81}, names="name"),
    Case("overlong-shot-name", "post", "data/projects/{project}/shots", 400, body={"name": "S" * 161}, names="name"),
    Case("overlong-email", "post", "data/persons", 400,
         body={"first_name": "Long", "email": "a" * 250 + "@studio.test"}, names="email"),
    Case("overlong-status-short-name", "post", "data/task_status", 400,
         body={"name": "Too long", "short_name": "x" * 11}, names="short_name"),
    Case("overlong-update", "put", "data/tasks/{task}", 400, body={"name": "t" * 81}, names="name"),
    Case("text-for-integer", "put", "data/tasks/{task}", 400, body={"estimation": "three days"}, names="estimation"),
    Case("text-for-integer-create", "post", "data/task_types", 400, body={"name": "Rigging", "priority": "high"},
         names="priority"),
    Case("float-for-integer", "put", "data/shots/{shot}", 400, body={"nb_frames": 12.5}, names="nb_frames"),
    Case("bool-for-integer", "put", "data/tasks/{task}", 400, body={"duration": True}, names="duration"),
    Case("integer-overflow", "put", "data/tasks/{task}", 400, body={"estimation": 2**63}, names="estimation"),
    # SQLite's integers are 64-bit: 2**31 is a valid value there.
    Case("integer-overflow-32-bit", "put", "data/tasks/{task}", 400, body={"estimation": 2**31}, names="estimation",
         postgres_only=True),
    Case("integer-overflow-shotgun-id", "post", "data/projects", 400, body={"name": "Overflow", "shotgun_id": 10**20},
         names="shotgun_id"),
    Case("text-duration-time-spent", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}/add", 400,
         body={"duration": "an hour"}, names="duration"),
    Case("negative-duration-time-spent", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}", 400,
         body={"duration": -60}, names="duration"),
    Case("overflow-duration-time-spent", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}", 400,
         body={"duration": 2**63}, names="duration"),
    Case("overflow-duration-32-bit", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}/add", 400,
         body={"duration": 2**31}, names="duration", postgres_only=True),
    Case("nan-like-duration", "post", "actions/tasks/{task}/time-spents/2017-03-20/persons/{person}", 400,
         body=b'{"duration": Infinity}'),
    Case("february-30th", "put", "data/tasks/{task}", 400, body={"due_date": "2017-02-30"}, names="due_date"),
    Case("february-30th-in-url", "post", "actions/tasks/{task}/time-spents/2017-02-30/persons/{person}/add", 400,
         body={"duration": 60}, names="date"),
    Case("february-30th-read", "get", "actions/tasks/{task}/time-spents/2017-02-30", 400, names="date"),
    Case("february-30th-filter", "get", "data/tasks?due_date=2017-02-30", 400, names="due_date"),
    Case("datetime-filter-before-year-1", "get", "data/projects?created_at=0001-01-01T00%3A00%3A00%2B01%3A00", 400,
         names="created_at"),
    Case("datetime-filter-after-year-9999", "get", "data/shots?created_at=9999-12-31T23%3A59%3A59-01%3A00", 400,
         names="created_at"),
    Case("not-a-datetime-in-comment", "post", "actions/tasks/{task}/comment", 400,
         body={"task_status_id": "{todo}", "created_at": "yesterday"}, names="created_at"),
    Case("year-10000", "put", "data/tasks/{task}", 400, body={"start_date": "10000-01-01"}, names="start_date"),
    # --- pagination ---------------------------------------------------------------------
    Case("huge-page-number", "get", "data/projects?page=99999999999999999999", 404),
    Case("huge-page-with-limit", "get", "data/tasks?page=99999999999999999999&limit=1", 404),
    Case("negative-page", "get", "data/projects?page=-1", 404),
    Case("negative-limit", "get", "data/projects?page=1&limit=-5", 400),
    Case("zero-limit", "get", "data/projects?page=1&limit=0", 400),
    Case("huge-limit", "get", "data/projects?page=1&limit=99999999999999999999", 400),
    Case("float-page", "get", "data/projects?page=1.5", 400),
    Case("text-limit", "get", "data/shots?page=1&limit=all", 400),
    # --- methods --------------------------------------------------------------------------
    Case("method-not-allowed", "delete", "actions/tasks/clear-assignation", 405),
    Case("method-not-allowed-on-list", "put", "data/projects", 405, body={"name": "X"}),
]


@pytest.fixture
def ctx(production, admin_client):
    person = make_person("user", email="bad-input-artist@studio.test")
    production["project"].team.add(person)
    ids = {
        "project": production["project"].id,
        "task": production["tasks"][0].id,
        "shot": production["shots"][0].id,
        "sequence": production["sequences"][0].id,
        "person": person.id,
        "todo": production["todo"].id,
        "task_type": production["task_types"][0].id,
    }
    admin_client.raise_request_exception = False
    return {"client": admin_client, "ids": {k: str(v) for k, v in ids.items()}, "production": production}


def fill(value, ids):
    """Put the seeded ids into a path or body (bytes included)."""
    if isinstance(value, bytes):
        for key, id_ in ids.items():
            value = value.replace(b"{" + key.encode() + b"}", id_.encode())
        return value
    if isinstance(value, str):
        for key, id_ in ids.items():
            value = value.replace("{" + key + "}", id_)
        return value
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def send(client, case, ids):
    path = "/api/" + fill(case.path, ids)
    body = fill(case.body, ids)
    if case.content_type == "multipart/form-data":
        fields = dict(pair.partition("=")[::2] for pair in body.removeprefix("multipart:").split("&"))
        return getattr(client, case.method)(path, fields, format="multipart")
    if isinstance(body, bytes):
        data = body
    elif case.method in ("get", "delete") and body is None:
        return getattr(client, case.method)(path)
    else:
        data = json.dumps(body).encode()
    return client.generic(case.method.upper(), path, data, content_type=case.content_type)


def check_refused(response, case):
    data = assert_json_message(response, case.status)
    if case.names:
        errors = data.get("errors")
        named = (isinstance(errors, dict) and case.names in errors) or case.names in data["message"]
        assert named, f"the error does not name '{case.names}': {data}"
    return data


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=[pytest.mark.postgres_only] * c.postgres_only) for c in CASES]
)
def test_bad_input_is_refused_and_writes_nothing(case, ctx, settings):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    before = row_counts()
    response = send(ctx["client"], case, ctx["ids"])
    check_refused(response, case)
    changed = changed_counts(before, row_counts())
    assert {table: n for table, n in changed.items() if table not in case.allow} == {}


# --- values stored verbatim ----------------------------------------------------------------

VERBATIM = [
    "'; DROP TABLE production_project; --",
    "Robert'); DELETE FROM production_person WHERE ('1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "名前 – ünïcödé 🎬",
]


@pytest.mark.parametrize("text", VERBATIM, ids=range(len(VERBATIM)))
def test_hostile_strings_are_stored_and_returned_verbatim(text, ctx):
    client = ctx["client"]
    tables_before = set(connection.introspection.table_names())
    created = client.post("/api/data/projects", {"name": text, "description": text}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["name"] == text and created.json()["description"] == text
    project_id = created.json()["id"]
    assert client.get(f"/api/data/projects/{project_id}").json()["name"] == text
    # Found again by an exact filter, and nowhere else.
    found = client.get("/api/data/projects", {"name": text}).json()
    assert [p["id"] for p in found] == [project_id]
    assert Project.objects.get(pk=project_id).name == text
    # A comment (free text on an action route) keeps it too.
    comment = client.post(
        f"/api/actions/tasks/{ctx['ids']['task']}/comment", {"task_status_id": ctx["ids"]["todo"], "comment": text},
        format="json",
    )
    assert comment.status_code == 201, comment.content
    assert comment.json()["text"] == text
    # The tables are all still there, and so are the other rows.
    assert set(connection.introspection.table_names()) == tables_before
    assert Project.objects.count() == 2
    assert client.get("/api/data/persons").status_code == 200


def test_traversal_in_a_shot_name_is_stored_verbatim(ctx):
    client = ctx["client"]
    response = client.post(f"/api/data/projects/{ctx['ids']['project']}/shots", {"name": "../../etc/passwd"}, format="json")
    assert response.status_code == 201, response.content
    shot_id = response.json()["id"]
    assert client.get(f"/api/data/shots/{shot_id}").json()["name"] == "../../etc/passwd"


TRAVERSAL_TREE = {
    "working": {
        "mountpoint": "/simple",
        "root": "../../../etc",
        "folder_path": {"shot": "<Project>/../../<Shot>", "asset": "<Project>/<Asset>", "style": "lowercase"},
        "file_name": {"shot": "../<Shot>", "asset": "<Asset>", "style": "lowercase"},
    }
}


def test_a_shipped_tree_name_with_traversal_is_refused(ctx):
    before = row_counts()
    response = ctx["client"].post(
        "/api/project/set-tree", {"project_id": ctx["ids"]["project"], "tree_name": "../../etc/passwd"}, format="json"
    )
    data = assert_json_message(response, 400)
    assert "tree_name" in data["errors"]
    assert Project.objects.get(pk=ctx["ids"]["project"]).file_tree in (None, {})
    assert changed_counts(before, row_counts()) == {}


def test_a_file_tree_with_traversal_is_refused(ctx):
    """A tree that climbs out of its root is refused; nothing is stored."""
    client = ctx["client"]
    project_id = ctx["ids"]["project"]
    before = row_counts()
    response = client.put(f"/api/data/projects/{project_id}", {"file_tree": TRAVERSAL_TREE}, format="json")
    assert_json_message(response, 400)
    assert Project.objects.get(pk=project_id).file_tree in (None, {})
    assert changed_counts(before, row_counts()) == {}


def test_traversal_in_a_folder_path_is_neutralised(ctx):
    """A shot named `../../etc` yields a path inside the tree's root: the token
    is slugified, never climbs."""
    client = ctx["client"]
    production = ctx["production"]
    project_id = ctx["ids"]["project"]
    set_tree = client.post("/api/project/set-tree", {"project_id": project_id, "tree_name": "simple"}, format="json")
    assert set_tree.status_code == 200, set_tree.content
    shot = client.post(f"/api/data/projects/{project_id}/shots", {"name": "../../etc"}, format="json").json()
    task = client.post(f"/api/data/entities/{shot['id']}/tasks", {"task_type_ids": [str(production["task_types"][0].id)]},
                       format="json").json()[0]
    for url, body in (
        ("/api/project/tree/folder", {"task_id": task["id"], "mode": "working"}),
        (f"/api/data/tasks/{task['id']}/folder-path", {"mode": "working"}),
        ("/api/project/tree/file", {"task_id": task["id"], "mode": "working", "name": "../../../x", "comment": "../up"}),
    ):
        response = client.post(url, body, format="json")
        assert response.status_code == 200, (url, response.content)
        answer = response.json()
        path = answer.get("path") or answer.get("name") or json.dumps(answer)
        assert ".." not in path.split("/"), (url, answer)


# --- a body announced too large, over a real socket ----------------------------------------

@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_body_announced_too_large_is_413_before_it_is_read(live_server, admin_token):
    before = row_counts()
    host, port = live_server.thread.host, live_server.thread.port
    announced = settings.MAX_REQUEST_SIZE + 1
    head = (
        f"POST /api/data/projects HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {admin_token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head + b'{"name": "Huge", "description": "')
        # Nothing more is sent: the answer must come without the 100 MB. (The
        # test server then waits to drain the body; closing the socket ends that.)
        # The answer has no Content-Length: read until the JSON body is whole.
        answer, message = b"", None
        while message is None:
            answer += sock.recv(65536)
            head_part, _, body = answer.partition(b"\r\n\r\n")
            try:
                message = json.loads(body)["message"]
            except ValueError:
                continue
    status_line = head_part.split(b"\r\n")[0]
    assert b" 413 " in status_line, answer[:300]
    assert b"application/json" in head_part.lower()
    assert "larger than" in message
    assert changed_counts(before, row_counts()) == {}


def test_uuid_that_is_not_hex_but_right_length(ctx):
    """36 characters shaped like a UUID but not hex: 404 on the URL, 400 in a body."""
    client = ctx["client"]
    fake = "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"
    assert_json_message(client.get(f"/api/data/tasks/{fake}"), 404)
    assert_json_message(client.put(f"/api/data/tasks/{ctx['ids']['task']}/assign", {"person_id": fake}, format="json"), 400)
    assert str(uuid.UUID(UNKNOWN))  # the "unknown" id of the table is a valid UUID
