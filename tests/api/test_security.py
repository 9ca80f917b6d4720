"""Roles, project teams and API security (DESIGN §4.5)."""

import datetime
import re
import time
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from production.models import Comment, Person, Project, ProjectStatus, Shot, Task, TimeSpent
from tests.factories import PASSWORD, make_person
from tests.helpers import client_for

PUBLIC = {"", "auth/login", "openapi.json", "docs"}
SAMPLES = {"date": "2017-03-20", "kind": "shots", "mode": "working"}


def api_patterns(resolver=None, prefix=""):
    """Every URL pattern under /api/, as (pattern text, sample URL)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from api_patterns(entry, text)
        elif isinstance(entry, URLPattern) and text.startswith("api/"):
            yield text, sample_url(text)


def sample_url(pattern):
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES.get(m.group(1), str(uuid.uuid4())), pattern)
    url = url.replace("/?", "").replace("\\.", ".")
    url = re.sub(r"\[_-\]", "_", url)
    return "/" + url


ALL_PATTERNS = sorted(set(api_patterns()))


def test_the_walk_covers_every_app():
    urls = [url for _, url in ALL_PATTERNS]
    assert len(urls) > 100
    assert any("/data/shots" in u for u in urls) and any("/data/softwares" in u for u in urls)


@pytest.mark.parametrize("pattern,url", ALL_PATTERNS, ids=[p for p, _ in ALL_PATTERNS])
def test_every_route_but_root_login_and_schema_needs_a_token(pattern, url, db):
    client = APIClient()
    bare = pattern[len("api/"):].replace("/?", "")
    for method in ("get", "post", "put", "delete"):
        response = getattr(client, method)(url, {}, format="json")
        if bare in PUBLIC:
            assert response.status_code != 401, (method, url)
        else:
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.json()["message"]


def test_malformed_expired_and_foreign_tokens_are_401(db, production):
    person = make_person("admin")
    client = APIClient()
    for header in ("Bearer", "Bearer not.a.token", "Basic abc", f"Bearer {uuid.uuid4()}"):
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/data/projects")
        assert response.status_code == 401 and response.json()["message"]
    from rest_framework_simplejwt.tokens import AccessToken

    expired = AccessToken.for_user(person)
    expired.set_exp(lifetime=-datetime.timedelta(seconds=1))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")
    response = client.get("/api/data/projects")
    assert response.status_code == 401 and response.json()["message"] == "Signature has expired"


def test_a_token_accepted_before_is_refused_once_it_expires(db, production):
    """A token's checked signature is remembered (production.auth.authentication),
    its expiry is not: the same text is refused the moment it expires."""
    from rest_framework_simplejwt.tokens import AccessToken

    from production.auth.tokens import issue_tokens

    access, _ = issue_tokens(make_person("admin"), access_lifetime=datetime.timedelta(seconds=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert client.get("/api/data/projects").status_code == 200
    assert client.get("/api/data/projects").status_code == 200
    time.sleep(max(0.0, AccessToken(access, verify=False)["exp"] - time.time() + 0.05))
    response = client.get("/api/data/projects")
    assert response.status_code == 401 and response.json()["message"] == "Signature has expired"
    # A forged signature on a known payload is no known token.
    head, payload, signature = access.split(".")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {head}.{payload}.{signature[:-2]}AA")
    response = client.get("/api/data/projects")
    assert response.status_code == 401 and response.json()["message"].startswith("Invalid token")


# --- the role matrix ---------------------------------------------------------

ROLES = ["admin", "manager", "supervisor", "user", "client"]
WRITERS = {"admin", "manager"}


@pytest.fixture
def two_projects(production):
    """`mine` (the production fixture's project) and `theirs`, each with a
    shot, an asset, a task with a comment and time spent."""
    mine = production["project"]
    theirs = Project.objects.create(name="Theirs", project_status=ProjectStatus.objects.get(name="Open"))
    from production.models import Asset, Episode

    other_shot = Shot.objects.create(name="Z01", project=theirs)
    other_asset = Asset.objects.create(name="Rock", project=theirs, entity_type=production["asset_types"][0])
    other_episode = Episode.objects.create(name="E09", project=theirs)
    other_task = Task.objects.create(name="main", project=theirs, task_type=production["task_types"][0], task_status=production["todo"], entity=other_shot)
    someone = make_person("user")
    rows = {}
    for key, project, shot, asset, episode, task in (
        ("mine", mine, production["shots"][0], production["assets"][0], production["episode"], production["tasks"][0]),
        ("theirs", theirs, other_shot, other_asset, other_episode, other_task),
    ):
        rows[key] = {
            "projects": project,
            "episodes": episode,
            "shots": shot,
            "assets": asset,
            "tasks": task,
            "comments": Comment.objects.create(object_id=task.id, text="note", person=someone),
            "time_spents": TimeSpent.objects.create(task=task, person=someone, date=datetime.date(2017, 1, 2), duration=60),
        }
    return production, rows


def member(role, project):
    person = make_person(role)
    project.team.add(person)
    return person


def create_body(kind, project, production):
    return {
        "projects": {"name": f"New {uuid.uuid4().hex[:6]}"},
        "episodes": {"name": f"E{uuid.uuid4().hex[:4]}", "project_id": str(project.id)},
        "shots": {"name": f"P{uuid.uuid4().hex[:4]}", "project_id": str(project.id)},
        "assets": {"name": f"A{uuid.uuid4().hex[:4]}", "project_id": str(project.id), "entity_type_id": str(production["asset_types"][0].id)},
        "tasks": {"name": f"t{uuid.uuid4().hex[:4]}", "entity_id": str(production["shots"][1].id), "task_type_id": str(production["task_types"][1].id)},
        "comments": {"object_id": str(production["tasks"][0].id), "text": "hi"},
        "time_spents": {"task_id": str(production["tasks"][1].id), "person_id": str(production["tasks"][0].project.team.first().id), "date": "2017-05-05", "duration": 5},
    }[kind]


UPDATES = {
    "projects": {"description": "x"}, "episodes": {"description": "x"}, "shots": {"description": "x"},
    "assets": {"description": "x"}, "tasks": {"description": "x"}, "comments": {"text": "x"}, "time_spents": {"duration": 9},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(UPDATES))
def test_role_matrix(role, kind, two_projects):
    production, rows = two_projects
    person = member(role, production["project"])
    client = client_for(person)
    mine, theirs = rows["mine"][kind], rows["theirs"][kind]
    sees_all = role in WRITERS

    listed = {row["id"] for row in client.get(f"/api/data/{kind}").json()}
    assert str(mine.id) in listed
    assert (str(theirs.id) in listed) is sees_all
    # filters never widen what a person sees
    if kind in ("episodes", "shots", "assets", "tasks"):
        filtered = client.get(f"/api/data/{kind}", {"project_id": str(theirs.project_id)}).json()
        assert bool(filtered) is sees_all
        paged = client.get(f"/api/data/{kind}?page=1").json()
        assert (str(theirs.id) in {r["id"] for r in paged["data"]}) is sees_all

    assert client.get(f"/api/data/{kind}/{mine.id}").status_code == 200
    assert client.get(f"/api/data/{kind}/{theirs.id}").status_code == (200 if sees_all else 404)

    update = client.put(f"/api/data/{kind}/{mine.id}", UPDATES[kind], format="json")
    assert update.status_code == (200 if sees_all else 403), update.content
    hidden_update = client.put(f"/api/data/{kind}/{theirs.id}", UPDATES[kind], format="json")
    assert hidden_update.status_code == (200 if sees_all else 404)

    created = client.post(f"/api/data/{kind}", create_body(kind, production["project"], production), format="json")
    assert created.status_code == (201 if sees_all else 403), created.content

    if not sees_all:
        model = type(mine)
        assert client.delete(f"/api/data/{kind}/{mine.id}").status_code == 403
        assert client.delete(f"/api/data/{kind}/{theirs.id}").status_code == 404
        assert model._default_manager.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
        assert model._default_manager.filter(pk=mine.pk).values_list("updated_at", flat=True)[0] == mine.updated_at


@pytest.mark.parametrize("role", ROLES)
def test_persons_are_managed_by_admins_only(role, db):
    person = make_person(role)
    other = make_person("user")
    # Both on one team: only managers and admins read persons off their teams (test_person_visibility.py).
    team = Project.objects.create(name="Team", project_status=ProjectStatus.objects.get(name="Open"))
    team.team.add(person, other)
    client = client_for(person)
    assert other.email in [row["email"] for row in client.get("/api/data/persons").json()]
    assert client.get(f"/api/data/persons/{other.id}").json()["email"] == other.email
    created = client.post("/api/data/persons", {"email": f"{role}-made@studio.test", "first_name": "N"}, format="json")
    updated = client.put(f"/api/data/persons/{other.id}", {"role": "admin"}, format="json")
    deleted = client.delete(f"/api/data/persons/{other.id}")
    expected = (201, 200, 204) if role == "admin" else (403, 403, 403)
    assert (created.status_code, updated.status_code, deleted.status_code) == expected
    if role != "admin":
        assert Person.objects.get(pk=other.pk).role == "user"


@pytest.mark.parametrize("role", ROLES)
def test_nested_routes_and_full_views_do_not_leak(role, two_projects):
    production, rows = two_projects
    client = client_for(member(role, production["project"]))
    sees_all = role in WRITERS
    theirs = rows["theirs"]
    expect = 200 if sees_all else 404
    assert client.get(f"/api/data/projects/{theirs['projects'].id}/shots").status_code == expect
    assert client.get(f"/api/data/tasks/{theirs['tasks'].id}/full").status_code == expect
    assert client.get(f"/api/data/tasks/{theirs['tasks'].id}/comments").status_code == expect
    assert client.get(f"/api/data/shots/{theirs['shots'].id}/tasks").status_code == expect
    assert client.get(f"/api/actions/tasks/{theirs['tasks'].id}/time-spents").status_code == expect
    for url in ("/api/data/shots/all", "/api/data/assets/all", "/api/data/shots/with-tasks", "/api/data/projects/open", "/api/data/entities"):
        names = {row.get("project_id") or row["id"] for row in client.get(url).json()}
        assert (str(theirs["projects"].id) in names) is sees_all, url


@pytest.mark.parametrize("role", ROLES)
def test_acting_on_tasks(role, production):
    person = member(role, production["project"])
    client = client_for(person)
    own, other = production["tasks"][0], production["tasks"][1]
    own.assignees.add(person)
    wip = str(production["todo"].__class__.objects.get(short_name="wip").id)
    allowed_own = role != "client"
    allowed_other = role in ("admin", "manager", "supervisor")
    for task, allowed in ((own, allowed_own), (other, allowed_other)):
        expected = (200, 201, 201) if allowed else (403, 403, 403)
        start = client.put(f"/api/actions/tasks/{task.id}/start")
        comment = client.post(f"/api/actions/tasks/{task.id}/comment", {"task_status_id": wip, "comment": "on it"}, format="json")
        spent = client.post(f"/api/actions/tasks/{task.id}/time-spents/2017-03-20/persons/{person.id}", {"duration": 60}, format="json")
        assert (start.status_code, comment.status_code, spent.status_code) == expected, (role, task.name)
    if not allowed_other:
        assert Task.objects.get(pk=other.pk).task_status == production["todo"]
        assert not Comment.objects.filter(object_id=other.id).exists()


def test_token_dies_on_logout_password_change_and_deactivation(db, anon_client):
    person = make_person("user", email="tok@studio.test")

    def login():
        body = anon_client.post("/api/auth/login", {"email": "tok@studio.test", "password": PASSWORD}, format="json").json()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
        return client, body

    client, _ = login()
    assert client.get("/api/auth/authenticated").json()["authenticated"] is True
    assert client.get("/api/auth/logout").json() == {"logout": True}
    assert client.get("/api/auth/authenticated").status_code == 401

    client, body = login()
    changed = client.post("/api/auth/change-password", {"old_password": PASSWORD, "password": "N3w-and-long", "password_2": "N3w-and-long"}, format="json")
    assert changed.status_code == 200
    assert client.get("/api/data/projects").status_code == 401
    refresh = APIClient()
    refresh.credentials(HTTP_AUTHORIZATION=f"Bearer {body['refresh_token']}")
    assert refresh.get("/api/auth/refresh-token").status_code == 401
    person.set_password(PASSWORD)
    person.save()

    client, body = login()
    refresh.credentials(HTTP_AUTHORIZATION=f"Bearer {body['refresh_token']}")
    fresh = refresh.get("/api/auth/refresh-token").json()["access_token"]
    admin = client_for(make_person("admin"))
    assert admin.put(f"/api/data/persons/{person.id}", {"active": False}, format="json").status_code == 200
    assert client.get("/api/data/projects").status_code == 401
    Person.objects.filter(pk=person.pk).update(active=True)
    assert client.get("/api/data/projects").status_code == 401  # still revoked after reactivation
    refreshed = APIClient()
    refreshed.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh}")
    assert refreshed.get("/api/data/projects").status_code == 401


def test_login_lockout(db, anon_client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    make_person("user", email="lock@studio.test")
    for _ in range(3):
        response = anon_client.post("/api/auth/login", {"email": "lock@studio.test", "password": "wrong"}, format="json")
        assert response.status_code == 400 and response.json()["login"] is False
    refused = anon_client.post("/api/auth/login", {"email": "lock@studio.test", "password": PASSWORD}, format="json")
    assert refused.status_code == 401 and "Too many failed logins" in refused.json()["message"]
    assert int(refused["Retry-After"]) > 0
    # the same address is refused for any email
    other = make_person("user", email="other@studio.test")
    assert anon_client.post("/api/auth/login", {"email": other.email, "password": PASSWORD}, format="json").status_code == 401
    from production.models import FailedLogin

    FailedLogin.objects.update(created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    assert anon_client.post("/api/auth/login", {"email": "lock@studio.test", "password": PASSWORD}, format="json").status_code == 200


def test_bot_tokens(db):
    admin = client_for(make_person("admin"))
    bot = admin.post("/api/data/persons", {"email": "farm@studio.test", "first_name": "Render", "last_name": "Farm", "is_bot": True}, format="json").json()
    token = admin.post(f"/api/data/persons/{bot['id']}/token").json()["access_token"]
    farm = APIClient()
    farm.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert farm.get("/api/auth/authenticated").json()["user"]["email"] == "farm@studio.test"
    from rest_framework_simplejwt.tokens import AccessToken

    lifetime = AccessToken(token)["exp"] - AccessToken(token)["iat"]
    assert lifetime > 300 * 24 * 3600
    assert admin.delete(f"/api/data/persons/{bot['id']}/token").status_code == 204
    assert farm.get("/api/auth/authenticated").status_code == 401
    human = make_person("user")
    refused = admin.post(f"/api/data/persons/{human.id}/token")
    assert refused.status_code == 400 and "bot" in refused.json()["message"]
    manager = client_for(make_person("manager"))
    assert manager.post(f"/api/data/persons/{bot['id']}/token").status_code == 403


def test_security_headers_cors_and_body_limit(db, api_client, settings):
    response = api_client.get("/api/data/projects", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    settings.CORS_ALLOWED_ORIGINS = ["https://tools.studio.test"]
    allowed = api_client.get("/api/data/projects", HTTP_ORIGIN="https://tools.studio.test")
    assert allowed["Access-Control-Allow-Origin"] == "https://tools.studio.test"
    settings.MAX_REQUEST_SIZE = 1000
    big = api_client.post("/api/data/projects", {"name": "x" * 2000}, format="json")
    assert big.status_code == 413 and "larger" in big.json()["message"]
    assert not Project.objects.exists()


def test_admin_login_shares_the_lockout(db, client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    make_person("admin", email="boss@studio.test")
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "boss@studio.test", "password": "wrong"})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    client.post("/admin/login/", {"username": "BOSS@studio.test", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # still refused, back to the login page
    from production.models import FailedLogin

    FailedLogin.objects.all().delete()
    client.post("/admin/login/", {"username": "BOSS@studio.test", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


# --- issue 15, files (h15files): previews and the files of an entity ---------


def _files_routes(theirs, preview, working_file):
    """Every route of files.api.preview_urls, on rows of a project the caller is not on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    task, comment, asset = theirs["tasks"], theirs["comments"], theirs["assets"]
    on_comment = f"/api/actions/tasks/{task.id}/comments/{comment.id}"
    body = {"task_type_id": str(task.task_type_id)}
    return [
        ("get", f"/api/data/tasks/{task.id}/previews", None),
        ("get", f"/api/data/shots/{theirs['shots'].id}/preview-files", None),
        ("get", f"/api/data/projects/{theirs['projects'].id}/preview-files", None),
        ("get", f"/api/data/projects/{theirs['projects'].id}/output-files", None),
        ("get", f"/api/data/entities/{asset.id}/output-files", None),
        ("get", f"/api/data/entities/{asset.id}/output-files/last-revisions", None),
        ("get", f"/api/data/entities/{asset.id}/output-types", None),
        ("get", f"/api/data/entities/{asset.id}/working-files", None),
        ("post", f"/api/data/entities/{asset.id}/output-files/new", body),
        ("post", f"/api/data/entities/{asset.id}/output-file-path", body),
        ("put", f"/api/actions/working-files/{working_file.id}/modified", {}),
        ("post", f"{on_comment}/add-preview", {}),
        ("post", f"{on_comment}/preview-files/{preview.id}", {}),
        ("delete", f"{on_comment}/preview-files/{preview.id}", None),
        ("post", f"/api/pictures/preview-files/{preview.id}", {"file": SimpleUploadedFile("p.png", b"\x89PNG")}),
        ("put", f"/api/actions/preview-files/{preview.id}/set-main-preview", {}),
        ("get", f"/api/pictures/originals/preview-files/{preview.id}.png", None),
        ("get", f"/api/movies/originals/preview-files/{preview.id}.mp4", None),
    ]


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
def test_previews_and_entity_files_are_404_off_the_team(role, two_projects):
    from django.urls import resolve

    from files.api.preview_urls import urlpatterns
    from files.models import PreviewFile, WorkingFile
    from tests.helpers import row_counts

    production, rows = two_projects
    theirs = rows["theirs"]
    preview = PreviewFile.objects.create(name="v1", task=theirs["tasks"], comment=theirs["comments"], extension="png")
    working_file = WorkingFile.objects.create(name="main", task=theirs["tasks"], entity=theirs["tasks"].entity)
    routes = _files_routes(theirs, preview, working_file)
    covered = {resolve(url).url_name for _, url, _ in routes}
    assert covered >= {pattern.name for pattern in urlpatterns}, "a route of preview_urls is not in the matrix"
    person = member(role, production["project"])
    theirs["tasks"].assignees.add(person)  # assigned, yet off the team: still unseen
    client = client_for(person)
    before = row_counts("files", "production")
    for method, url, body in routes:
        kwargs = {"format": "multipart"} if body and "file" in body else {"format": "json"}
        response = getattr(client, method)(url, body, **kwargs) if body is not None else getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["message"]
    assert row_counts("files", "production") == before


# --- gazu's task lists, bulk deletion and the artist's own view (issue 15 B) ---
# Every new route keyed by a project, an entity or a task answers 404 to a
# person off that project's team, whatever the method; the lists keyed by a
# person, and the global ones, leave the hidden project's rows out.

HIDDEN_ROW_ROUTES = [
    ("get", "data/projects/{project}/tasks"),
    ("get", "data/projects/{project}/comments"),
    ("get", "data/projects/{project}/settings/task-status"),
    ("get", "data/sequences/{sequence}/tasks"),
    ("get", "data/sequences/{sequence}/shot-tasks"),
    ("get", "data/sequences/{sequence}/task-types"),
    ("get", "data/episodes/{episode}/tasks"),
    ("get", "data/episodes/{episode}/shot-tasks"),
    ("get", "data/episodes/{episode}/asset-tasks"),
    ("get", "data/episodes/{episode}/task-types"),
    ("get", "data/shots/{shot}/asset-types"),
    ("get", "data/entities/{shot}/task-types/{task_type}/tasks"),
    ("post", "actions/projects/{project}/delete-tasks"),
    ("delete", "actions/projects/{project}/task-types/{task_type}/delete-tasks"),
    ("post", "actions/projects/{project}/task-types/{task_type}/shots/create-tasks"),
    ("post", "actions/projects/{project}/task-types/{task_type}/assets/create-tasks"),
    ("get", "data/user/projects/{project}/asset-types"),
    ("get", "data/user/projects/{project}/asset-types/{asset_type}/assets"),
    ("get", "data/user/projects/{project}/episodes"),
    ("get", "data/user/projects/{project}/sequences"),
    ("get", "data/user/sequences/{sequence}/shots"),
    ("get", "data/user/sequences/{sequence}/tasks"),
    ("get", "data/user/sequences/{sequence}/task-types"),
    ("get", "data/user/shots/{shot}/tasks"),
    ("get", "data/user/shots/{shot}/task-types"),
    ("get", "data/user/assets/{asset}/tasks"),
    ("get", "data/user/assets/{asset}/task-types"),
    ("get", "data/user/tasks/{task}/time-spents/2017-01-02"),
]


@pytest.fixture
def hidden_breakdown(two_projects):
    """The `theirs` project of two_projects with a sequence under its episode
    and its shot moved into it, so every kind of URL row exists there."""
    from production.models import Sequence

    production, rows = two_projects
    theirs = rows["theirs"]
    sequence = Sequence.objects.create(name="SQ9", project=theirs["projects"], parent=theirs["episodes"])
    Shot.objects.filter(pk=theirs["shots"].pk).update(parent=sequence)
    return production, rows, {
        "project": theirs["projects"].id, "sequence": sequence.id, "episode": theirs["episodes"].id,
        "shot": theirs["shots"].id, "asset": theirs["assets"].id, "task": theirs["tasks"].id,
        "task_type": production["task_types"][0].id, "asset_type": production["asset_types"][0].id,
    }


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
@pytest.mark.parametrize("method,route", HIDDEN_ROW_ROUTES, ids=[route for _, route in HIDDEN_ROW_ROUTES])
def test_issue15_task_routes_hide_other_projects(role, method, route, hidden_breakdown):
    production, rows, ids = hidden_breakdown
    person = member(role, production["project"])
    rows["theirs"]["tasks"].assignees.add(person)  # assigned, yet off the team: still hidden
    before = Task.objects.count()
    body = [str(rows["theirs"]["tasks"].id)] if method == "post" else None
    response = getattr(client_for(person), method)(f"/api/{route.format(**ids)}", body, format="json")
    assert response.status_code == 404, response.content
    assert response.json()["message"]
    assert Task.objects.count() == before


PERSON_AND_GLOBAL_LISTS = [
    "data/persons/{someone}/tasks",
    "data/persons/{someone}/done-tasks",
    "data/persons/{someone}/related-tasks/{task_type}",
    "data/tasks/open-tasks",
    "data/user/tasks",
    "data/user/done-tasks",
    "data/user/tasks-to-check",
    "data/user/projects/open",
    "data/user/time-spents",
    "data/user/time-spents/2017-01-02",
]


def _rows_of(response):
    body = response.json()
    return body["data"] if isinstance(body, dict) else body


def _project_of(row):
    if "task_id" in row:  # a time spent
        return str(Task.objects.get(pk=row["task_id"]).project_id)
    return row.get("project_id") or row["id"]  # a task, or a project


@pytest.mark.parametrize("route", PERSON_AND_GLOBAL_LISTS)
@pytest.mark.parametrize("role", ROLES)
def test_issue15_person_and_own_lists_hold_only_visible_projects(role, route, two_projects):
    """Two people on two teams, both assigned a task to do, one done and one
    to review in each project, with time on both: every list holds rows of
    the caller's own project only (managers and admins see both projects),
    and the `data/user/*` lists only the caller's own rows."""
    from production.models import TaskStatus

    production, rows = two_projects
    me, someone = member(role, production["project"]), member("user", rows["theirs"]["projects"])
    for key in ("mine", "theirs"):
        first = rows[key]["tasks"]
        tasks = [first]
        for short_name in ("done", "pndng"):
            tasks.append(Task.objects.create(
                name=short_name, project=first.project, task_type=first.task_type, entity=first.entity,
                task_status=TaskStatus.objects.get(short_name=short_name),
            ))
        for task in tasks:
            task.assignees.add(me, someone)
        for who in (me, someone):
            TimeSpent.objects.create(task=first, person=who, date=datetime.date(2017, 1, 2), duration=60)
    url = route.format(someone=someone.id, task_type=production["task_types"][0].id)
    response = client_for(me).get(f"/api/{url}")
    assert response.status_code == 200, response.content
    listed = _rows_of(response)
    projects = {_project_of(row) for row in listed}
    reviews_nothing = route == "data/user/tasks-to-check" and role in ("user", "client")
    expected = set() if reviews_nothing else {str(production["project"].id)}
    if role in WRITERS and not reviews_nothing:
        expected.add(str(rows["theirs"]["projects"].id))
    assert projects == expected, url
    if route.startswith("data/user/time-spents"):
        assert {row["person_id"] for row in listed} == {str(me.id)}
    elif route.startswith("data/user/") and route != "data/user/projects/open":
        assert all(str(me.id) in row["assignees"] for row in listed) or route.endswith("to-check")
