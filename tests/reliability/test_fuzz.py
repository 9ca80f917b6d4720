"""Property-based fuzzing of every route of /api/openapi.json (issue #9).

schemathesis reads the schema the live server publishes, generates requests
for every operation (valid and invalid bodies, query strings and path
parameters) and sends them over real HTTP with an admin's bearer token. Every
answer must not be a 5xx, and every answer whose status the schema documents
must match its schema.

Bounded: FUZZ_EXAMPLES examples per operation (default 5), deterministic
(FUZZ_SEED, derandomized), no deadline. The bigger run the README gives:

    FUZZ_EXAMPLES=50 .venv/bin/python -m pytest tests/reliability/test_fuzz.py -k no_server_error -p no:randomly

A seeded production (project, episode, sequences, shots, assets, tasks, an
artist) is created first, and path parameters are drawn half of the time from
its real ids, so that by-id routes reach real rows, not only 404s.

Every answer's status must be one the schema documents for its operation
(status_code_conformance): zou_site.schema.document_errors gives every
operation its 400/401/403/404/413/503 answers.
"""

import collections
import json
import os
import re
import time
import uuid
import zlib

import hypothesis
import pytest
import requests
import schemathesis
from django.apps import apps
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from production.models import Person
from tests.factories import make_person
from tests.helpers import changed_counts, row_counts, wait_for_server_connections_to_close
from production.auth.tokens import issue_tokens

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# Each operation's examples come from SEED and its name: a run is repeatable.
SEED = int(os.environ.get("FUZZ_SEED", "20170320"))
SHRINK = os.environ.get("FUZZ_SHRINK", "") == "1"

# Excluded operations, each with why. Nothing else is excluded.
EXCLUDED = {
    "GET /api/auth/logout/": "revokes the fuzzer's own token: every later request would be a 401.",
    "POST /api/auth/change-password/": "a lucky valid body changes the admin's password and revokes its token.",
}

# Known bugs the fuzzer keeps finding, each pinned by a strict-xfail regression
# test (here or in test_bad_input.py / test_concurrency.py). A failure matching
# one is counted and reported, not failed on, so the run still guards every
# other route and every other kind of request; the lead removes an entry with
# its fix. (operation regex, failure title regex, request predicate, regression)
KNOWN_BUGS = []
KNOWN_SEEN = collections.Counter()


def known_bug(label, case, failure):
    for operation, title, applies, regression in KNOWN_BUGS:
        if re.match(operation, label) and re.match(title, failure.title) and applies(case):
            return regression
    return None


CHECKS = ["not_a_server_error", "response_schema_conformance", "status_code_conformance"]

# Values for path parameters that are not ids.
KINDS = [
    "persons", "projects", "shots", "assets", "sequences", "episodes", "task_types", "tasks", "steps", "status",
    "versions", "notes", "working-files", "preview-files",
]
DATES = ["2017-03-20", "2017-02-30", "1970-01-01", "9999-12-31"]
# Path parameter name → the model whose ids fill it (`id` is found by resolving the route).
PARAMETER_MODELS = {
    "task_id": "production.Task",
    "person_id": "production.Person",
    "project_id": "production.Project",
    "task_type_id": "production.TaskType",
    "entity_id": "production.Entity",
    "type_id": "production.AssetType",
    "working_file_id": "files.WorkingFile",
    "error_id": "imports.DataImportError",
}


def id_pools(admin):
    """{model label: [ids]} of the seeded rows; the admin is never a target
    (deactivating or demoting it would turn the rest of the run into 401/403)."""
    pools = {}
    for model in apps.get_models():
        if model._meta.proxy or model._meta.pk.get_internal_type() != "UUIDField":
            continue
        queryset = model._default_manager.all()
        if model is Person:
            queryset = queryset.exclude(pk=admin.pk)
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[:10]]
        if ids:
            pools[model._meta.label] = ids
    return pools


def model_of_route(path):
    """The model behind `{id}` in a schema path, by resolving the route."""
    sample = path.replace("{id}", str(uuid.uuid4()))
    for name in PARAMETER_MODELS:
        sample = sample.replace("{" + name + "}", str(uuid.uuid4()))
    sample = sample.replace("{kind}", "shots").replace("{date}", "2017-03-20").replace("{object_id}", str(uuid.uuid4()))
    try:
        view = resolve(sample).func
    except Exception:
        return None
    cls = getattr(view, "cls", None)
    serializer = getattr(cls, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return model._meta.concrete_model._meta.label if model is not None else None


def real_values(path, name, pools):
    if name == "id":
        label = model_of_route(path)
        if label == "production.Entity" or label is None:
            # Proxies (Shot, Asset...) share the Entity table.
            return pools.get("production.Entity", [])
        return pools.get(label, [])
    if name in PARAMETER_MODELS:
        return pools.get(PARAMETER_MODELS[name], [])
    if name == "object_id":
        return [i for ids in pools.values() for i in ids]
    if name == "kind":
        return KINDS
    if name == "date":
        return DATES
    return []


@pytest.fixture
def fuzz_target(live_server, production):
    """The seeded production (tests/conftest.py) plus an artist on its team
    with a task, made through the ORM: the API is what is under test."""
    admin = make_person("admin", email="fuzz-admin@studio.test", first_name="Fuzz", last_name="Admin")
    artist = make_person("user", email="fuzz-artist@studio.test", first_name="Fuzz", last_name="Artist")
    production["project"].team.add(artist)
    production["tasks"][0].assignees.add(artist)
    token = issue_tokens(admin)[0]
    return {"url": live_server.url, "admin": admin, "token": token, "pools": id_pools(admin)}


@pytest.fixture
def fuzz_schema(fuzz_target):
    config = SchemathesisConfig.from_dict(
        {
            "headers": {"Authorization": f"Bearer {fuzz_target['token']}"},
            "request-timeout": 60,
            "generation": {
                "max-examples": EXAMPLES,
                "database": "none",
                # The token is ours; a generated Authorization header would make every answer a 401.
                "with-security-parameters": False,
            },
            "phases": {"stateful": {"enabled": False}},
        }
    )
    # Accept is explicit: with "*/*" the route answers YAML (see test_the_schema_url_answers_json_to_any_client).
    schema = schemathesis.openapi.from_url(
        f"{fuzz_target['url']}/api/openapi.json", config=config, headers={"Accept": "application/json"}, timeout=120
    )
    pools = fuzz_target["pools"]

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        """Half of the time a parameter names a real row."""
        if not path_parameters:
            return st.just(path_parameters)
        path = context.operation.path
        drawn = {}
        for name, value in path_parameters.items():
            real = real_values(path, name, pools)
            drawn[name] = st.one_of(st.just(value), st.sampled_from(real)) if real else st.just(value)
        return st.fixed_dictionaries(drawn)

    return schema


STATS = collections.defaultdict(collections.Counter)


def excluded(operation):
    return f"{operation.method.upper()} {operation.path}" in EXCLUDED


def strategy_for(operation):
    """Valid and invalid requests alike (an invalid one must be a 4xx, never a 5xx)."""
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            strategies.append(operation.as_strategy(generation_mode=mode))
        except Exception:  # an operation with nothing to negate has no negative strategy
            continue
    return st.one_of(strategies)


def fuzz_operation(operation, session, settings):
    """Run the examples of one operation; answer the failures as text."""
    failures = []
    label = f"{operation.method.upper()} {operation.path}"

    @hypothesis.seed(SEED ^ zlib.crc32(label.encode()))
    @settings
    @given(case=strategy_for(operation))
    def run(case):
        response = case.call(session=session, timeout=60)
        STATS[label][response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS_RUN)
        except (FailureGroup, Failure) as error:
            unknown = []
            for failure in error.exceptions if isinstance(error, FailureGroup) else [error]:
                regression = known_bug(label, case, failure)
                if regression:
                    KNOWN_SEEN[regression] += 1
                else:
                    unknown.append(failure)
            if unknown:
                failures.append(describe(case, response, unknown))

    run()
    return failures


def describe(case, response, errors):
    titles = "; ".join(f"{e.title}: {e.message}".strip()[:300] for e in errors)
    body = response.text[:300].replace("\n", " ")
    return f"{titles}\n    {case.as_curl_command()}\n    -> {response.status_code} {body}"


def test_no_server_error_and_answers_match_the_schema(fuzz_schema, fuzz_target, capsys):
    session = requests.Session()
    settings = hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        print_blob=False,
        # No shrinking: a failure is reported as found (FUZZ_SHRINK=1 to shrink it).
        phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if SHRINK else []),
        suppress_health_check=list(HealthCheck),
    )
    started = time.monotonic()
    STATS.clear()
    KNOWN_SEEN.clear()
    failures, operations = {}, 0
    for result in fuzz_schema.get_all_operations():
        operation = result.ok()
        if excluded(operation):
            continue
        operations += 1
        found = fuzz_operation(operation, session, settings)
        if found:
            failures[f"{operation.method.upper()} {operation.path}"] = found
    session.close()
    wait_for_server_connections_to_close()
    with capsys.disabled():
        report(operations, time.monotonic() - started)
    # The exclusions held: the fuzzer's token still works after the whole run.
    answer = requests.get(
        f"{fuzz_target['url']}/api/auth/authenticated",
        headers={"Authorization": f"Bearer {fuzz_target['token']}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert not failures, "\n".join(
        f"{label} ({len(found)}):\n  " + "\n  ".join(found[:3]) for label, found in sorted(failures.items())
    )


def report(operations, seconds):
    per_operation = [sum(c.values()) for c in STATS.values()] or [0]
    statuses = collections.Counter()
    for counter in STATS.values():
        statuses.update(counter)
    print()
    print(
        f"fuzz: {operations} operations, {sum(per_operation)} requests in {seconds:.0f}s "
        f"(FUZZ_EXAMPLES={EXAMPLES}; requests per operation: min {min(per_operation)}, max {max(per_operation)}); "
        f"excluded: {', '.join(EXCLUDED)}"
    )
    print("fuzz: statuses " + ", ".join(f"{code}x{n}" for code, n in sorted(statuses.items())))
    for regression, count in sorted(KNOWN_SEEN.items()):
        print(f"fuzz: known bug hit {count}x, pinned by {regression}")


CHECKS_RUN = [
    {
        "not_a_server_error": not_a_server_error,
        "response_schema_conformance": response_schema_conformance,
        "status_code_conformance": status_code_conformance,
    }[name]
    for name in CHECKS
]


# --- regressions for what the fuzzer found ---------------------------------------------------------

@pytest.fixture
def served(live_server):
    """The live server's schema, and an admin session against it."""
    admin = make_person("admin", email="regression-admin@studio.test")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {issue_tokens(admin)[0]}"
    # The schema of ~300 operations takes seconds to build on a busy machine (past requests' 10 s default).
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/openapi.json", headers={"Accept": "application/json"}, timeout=120
    )
    yield {"url": f"{live_server.url}/api/", "session": session, "schema": schema, "admin": admin}
    session.close()
    wait_for_server_connections_to_close()


def conforms(served, method, schema_path, response):
    """Validate an answer against the schema of its operation (raises on a mismatch)."""
    served["schema"][schema_path][method].validate_response(response)
    raw = served["session"].get(served["url"] + "openapi.json", headers={"Accept": "application/json"}, timeout=120).json()
    documented = raw["paths"][schema_path][method.lower()]["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} not among {sorted(documented)}"


def test_the_schema_url_answers_json_to_any_client(live_server):
    answer = requests.get(f"{live_server.url}/api/openapi.json", headers={"Accept": "*/*"}, timeout=60)
    assert answer.status_code == 200
    assert "json" in answer.headers["Content-Type"], answer.headers["Content-Type"]
    assert json.loads(answer.text)["openapi"].startswith("3.")


def test_project_list_helpers_answer_what_the_schema_says(served, production):
    for path in ("data/projects/all", "data/projects/open"):
        answer = served["session"].get(served["url"] + path, timeout=60)
        assert answer.status_code == 200 and isinstance(answer.json(), list)
        conforms(served, "GET", f"/api/{path}/", answer)


def test_a_full_task_without_assigner_matches_the_schema(served, production):
    task = production["tasks"][0]
    assert task.assigner_id is None
    answer = served["session"].get(f"{served['url']}data/tasks/{task.id}/full", timeout=60)
    assert answer.status_code == 200 and answer.json()["assigner_id"] is None
    conforms(served, "GET", "/api/data/tasks/{id}/full/", answer)


def test_a_csv_import_refused_for_a_bad_parameter_matches_the_schema(served, db):
    answer = served["session"].post(
        f"{served['url']}data/import/csv/projects?dry_run=maybe",
        files={"file": ("projects.csv", b"Name,Status\nP,Open\n", "text/csv")},
        timeout=60,
    )
    assert answer.status_code == 400 and answer.json()["message"]
    conforms(served, "POST", "/api/data/import/csv/{kind}/", answer)


@pytest.mark.parametrize("path", ["data/projects", "data/preview-files", "data/time-spents", "data/tasks", "data/shots"])
def test_a_datetime_filter_with_an_offset_postgresql_refuses_is_answered(path, served, production):
    """Python takes UTC offsets up to ±23:59, PostgreSQL up to ±15:59: the filter
    must not hand such a value to the database (it was a 500 on PostgreSQL and,
    on the streamed lists, a 200 whose body broke off)."""
    try:
        answer = served["session"].get(
            f"{served['url']}{path}", params={"updated_at": "2017-03-20T10:00:00+20:00"}, timeout=60
        )
        body = answer.json()
    except (requests.RequestException, ValueError) as error:
        pytest.fail(f"no whole JSON answer: {error!r}")
    # The instant is valid (Python takes offsets to ±23:59): it is compared in
    # UTC, so PostgreSQL never sees the offset it refuses. No row has it.
    assert answer.status_code == 200, (answer.status_code, answer.text[:300])
    assert body == []


def test_a_csv_import_refused_for_a_nul_in_the_form_matches_the_schema(served, db):
    answer = served["session"].post(
        f"{served['url']}data/import/csv/task_types",
        data={"n\x00ame": "x"},
        files={"file": ("task_types.csv", b"Department,Name\nAnimation,Layout\n", "text/csv")},
        timeout=60,
    )
    assert answer.status_code == 400 and answer.json()["message"]
    conforms(served, "POST", "/api/data/import/csv/{kind}/", answer)


def test_shotgun_import_errors_holding_nul_are_refused(served, db):
    before = row_counts()
    for path, body in (
        ("data/import/shotgun/versions", [{"foo": "a\u0000b"}]),
        ("data/import/shotgun/errors", {"foo": "a\u0000b"}),
    ):
        answer = served["session"].post(served["url"] + path, json=body, timeout=60)
        assert answer.status_code == 400, (path, answer.status_code, answer.text[:300])
        assert answer.json()["message"]
    assert changed_counts(before, row_counts()) == {}


def test_creating_a_child_of_a_project_answers_the_status_the_schema_documents(served, production):
    """The FUZZ_EXAMPLES=50 run met a 201 documented as 200 (episodes, sequences, shots)."""
    project = production["project"]
    answer = served["session"].post(f"{served['url']}data/projects/{project.id}/episodes", json={"name": "E99"}, timeout=60)
    assert answer.status_code == 201 and answer.json()["name"] == "E99", answer.text[:300]
    conforms(served, "POST", "/api/data/projects/{id}/episodes/", answer)


def test_revoking_a_bot_token_answers_the_status_the_schema_documents(served, db):
    """The FUZZ_EXAMPLES=50 run met a 204 documented as 201 (DELETE data/persons/<id>/token)."""
    bot = make_person("user", email="render-bot@studio.test", is_bot=True)
    answer = served["session"].delete(f"{served['url']}data/persons/{bot.id}/token", timeout=60)
    assert answer.status_code == 204, answer.text[:300]
    conforms(served, "DELETE", "/api/data/persons/{id}/token/", answer)
