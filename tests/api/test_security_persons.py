"""The security matrix of issue 15's persons, teams and batch comment routes:
a person off a project's team gets 404 on every route keyed by that project,
its task, or a person only on it, whatever the method, and nothing changes; a row one sees but may
not change is 403; a teammate's time lists only the projects one sees."""

import datetime

import pytest

from production.models import Department, TimeSpent
from tests.api.test_security import ROLES, member, two_projects  # noqa: F401 (fixture)
from tests.factories import make_person
from tests.helpers import assert_query_baseline, client_for, row_counts

HIDDEN = [
    ("get", "data/projects/{project}/team", None),
    ("post", "data/projects/{project}/team", {"person_id": "{someone}"}),
    ("put", "data/projects/{project}/team/{someone}", {"role": None}),
    ("delete", "data/projects/{project}/team/{someone}", None),
    ("post", "data/projects/{project}/settings/task-status", {"task_status_id": "{status}"}),
    ("get", "data/projects/{project}/settings/task-types", None),
    ("post", "actions/persons/{someone}/departments/add", {"department_id": "{department}"}),
    ("delete", "actions/persons/{someone}/departments/{department}", None),
    ("post", "actions/persons/{someone}/change-password", {"password": "A-new-pass-w0rd", "password_2": "A-new-pass-w0rd"}),
    ("delete", "actions/persons/{someone}/clear-avatar", None),
    ("get", "data/persons/{someone}/time-spents", None),
    ("get", "data/persons/{someone}/time-spents/2017-01-02", None),
    ("get", "data/persons/{someone}/time-spents/year/2017", None),
    ("get", "data/persons/{someone}/time-spents/month/2017/1", None),
    ("get", "data/persons/{someone}/time-spents/month/all/2017/1", None),
    ("get", "data/persons/{someone}/time-spents/week/2017/1", None),
    ("get", "data/persons/{someone}/time-spents/day/2017/1/2", None),
    ("post", "actions/tasks/{task}/batch-comment", {"comments": [{"task_status_id": "{status}", "comment": "x"}]}),
    ("post", "actions/projects/{project}/tasks/comment-many", {"comments": [{"task_status_id": "{status}", "object_id": "{task}"}]}),
    ("post", "actions/tasks/{task}/comments/{comment}/move", {"target_task_id": "{task}"}),
]


def _filled(value, ids):
    if isinstance(value, dict):
        return {key: _filled(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, ids) for item in value]
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
@pytest.mark.parametrize("method,route,body", HIDDEN, ids=[f"{m} {r}" for m, r, _ in HIDDEN])
def test_off_the_team_every_route_is_404(role, method, route, body, two_projects):  # noqa: F811
    production, rows = two_projects
    theirs = rows["theirs"]["projects"]
    someone = member("user", theirs)  # on their team only: unseen from ours
    someone.skills.add(production["departments"][0])
    ids = {
        "project": theirs.id, "someone": someone.id, "status": production["todo"].id,
        "department": production["departments"][0].id, "task": rows["theirs"]["tasks"].id,
        "comment": rows["theirs"]["comments"].id,
    }
    person = member(role, production["project"])
    before = row_counts("production")
    client = client_for(person)
    url = f"/api/{route.format(**ids)}"
    response = getattr(client, method)(url, _filled(body, ids), format="json") if body else getattr(client, method)(url)
    assert response.status_code == 404, (method, url, response.content)
    assert response.json()["message"]
    assert row_counts("production") == before
    assert someone.skills.count() == 1 and theirs.team.filter(pk=someone.pk).exists()


def test_seen_but_not_changeable_is_403(production):
    project = production["project"]
    user, teammate = member("user", project), member("user", project)
    client = client_for(user)
    department = production["departments"][0]
    for method, url, body in (
        ("post", f"data/projects/{project.id}/team", {"person_id": str(make_person("user").id)}),
        ("delete", f"data/projects/{project.id}/team/{teammate.id}", None),
        ("post", f"data/projects/{project.id}/settings/task-status", {"task_status_id": str(production["todo"].id)}),
        ("post", f"actions/persons/{teammate.id}/departments/add", {"department_id": str(department.id)}),
        ("post", f"actions/persons/{teammate.id}/change-password", {"password": "A-new-pass-w0rd"}),
        ("delete", f"actions/persons/{teammate.id}/clear-avatar", None),
    ):
        response = getattr(client, method)(f"/api/{url}", body, format="json")
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["message"]
    assert project.team.count() == 2 and not teammate.skills.exists()


def test_a_teammates_time_lists_only_the_projects_one_sees(two_projects):  # noqa: F811
    production, rows = two_projects
    me = member("user", production["project"])
    both = member("user", production["project"])
    rows["theirs"]["projects"].team.add(both)
    day = datetime.date(2017, 1, 2)
    for key in ("mine", "theirs"):
        TimeSpent.objects.create(task=rows[key]["tasks"], person=both, date=day, duration=60)
    client = client_for(me)
    mine = str(production["project"].id)
    for url in (
        f"data/persons/{both.id}/time-spents",
        f"data/persons/{both.id}/time-spents/2017-01-02",
        f"data/persons/{both.id}/time-spents/month/all/2017/1",
    ):
        listed = client.get(f"/api/{url}").json()
        assert [row["task_id"] for row in listed] == [str(rows["mine"]["tasks"].id)], url
    for url in ("year/2017", "month/2017/1", "week/2017/1", "day/2017/1/2"):
        listed = client.get(f"/api/data/persons/{both.id}/time-spents/{url}").json()
        assert [row["project_id"] for row in listed] == [mine], url
    admin = client_for(make_person("admin"))
    assert len(admin.get(f"/api/data/persons/{both.id}/time-spents/year/2017").json()) == 2


def test_bad_dates_and_bodies_are_400_naming_the_field(api_client, production):
    person = make_person("user")
    for url, field in (
        (f"data/persons/{person.id}/time-spents/month/2017/13", "month"),
        (f"data/persons/{person.id}/time-spents/week/2021/53", "week"),
        (f"data/persons/{person.id}/time-spents/day/2017/2/30", "day"),
        (f"data/persons/{person.id}/time-spents/2017-02-30", "date"),
        (f"data/persons/{person.id}/time-spents?start_date=yesterday", "start_date"),
        (f"data/persons/{person.id}/time-spents/year/2017?project=x", "project"),
    ):
        response = api_client.get(f"/api/{url}")
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()["message"], response.json()
    for url, body, field in (
        (f"data/projects/{production['project'].id}/team", {"person_id": "bob"}, "person_id"),
        (f"data/projects/{production['project'].id}/team", {}, "person_id"),
        (f"actions/persons/{person.id}/departments/add", {"department_id": 3}, "department_id"),
        (f"actions/persons/{person.id}/change-password", {"password": "A-new-pass-w0rd", "password_2": "other"}, "password_2"),
        (f"data/projects/{production['project'].id}/settings/task-status", {"task_status_id": "x"}, "task_status_id"),
    ):
        response = api_client.post(f"/api/{url}", body, format="json")
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()["errors"], response.json()
    bot = make_person("user", is_bot=True)
    refused = api_client.post(f"/api/actions/persons/{bot.id}/change-password", {"password": "A-new-pass-w0rd"}, format="json")
    assert refused.status_code == 400 and "bot" in refused.json()["message"]


@pytest.mark.parametrize(
    "key,path",
    [
        ("GET data/projects/<id>/team", "data/projects/{project}/team"),
        ("GET data/persons/<id>/time-spents", "data/persons/{artist}/time-spents"),
        ("GET data/persons/<id>/time-spents/<date>", "data/persons/{artist}/time-spents/2017-01-02"),
        ("GET data/persons/<id>/time-spents/month/all/<y>/<m>", "data/persons/{artist}/time-spents/month/all/2017/1"),
        ("GET data/persons/<id>/time-spents/year/<y>", "data/persons/{artist}/time-spents/year/2017"),
    ],
)
def test_query_baselines(key, path, production, django_assert_max_num_queries):
    """Flat: three team members and three days of time on three tasks, as a teammate sees them."""
    project = production["project"]
    artist = member("user", project)
    reader = member("supervisor", project)
    member("client", project).skills.add(*Department.objects.all())
    for task in production["tasks"][:3]:
        TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2017, 1, 2), duration=60)
    url = "/api/" + path.format(project=project.id, artist=artist.id)
    client = client_for(reader)
    with assert_query_baseline(django_assert_max_num_queries, key):
        response = client.get(url)
        listed = response.json()
    assert response.status_code == 200 and len(listed) == 3


def test_user_context_query_baseline(production, django_assert_max_num_queries):
    """Flat whatever the studio's size: three teammates, two projects, every reference row."""
    from production.models import Project, ProjectStatus

    me = member("user", production["project"])
    second = Project.objects.create(name="Second", project_status=ProjectStatus.objects.get(name="Open"))
    second.team.add(me)
    for _ in range(3):
        member("user", production["project"])
    with assert_query_baseline(django_assert_max_num_queries, "GET data/user/context"):
        context = client_for(me).get("/api/data/user/context").json()
    assert [p["name"] for p in context["projects"]] == ["Cosmos Landromat", "Second"] and len(context["persons"]) == 4


@pytest.mark.parametrize("key", ["GET data/tasks/open-tasks/stats", "GET data/persons/task-dates"])
def test_task_figures_query_baselines_and_hidden_projects(key, two_projects, django_assert_max_num_queries):  # noqa: F811
    """Flat: three assignees over the visible project's tasks; the hidden project's tasks and people stay out."""
    production, rows = two_projects
    me = member("supervisor", production["project"])
    artists = [member("user", production["project"]) for _ in range(3)]
    for artist, task in zip(artists, production["tasks"]):
        task.assignees.add(artist)
        task.due_date = datetime.date(2024, 1, 8)
        task.save()
    stranger = member("user", rows["theirs"]["projects"])
    rows["theirs"]["tasks"].assignees.add(stranger)
    with assert_query_baseline(django_assert_max_num_queries, key):
        body = client_for(me).get("/api/" + key.split(" ", 1)[1]).json()
    if key.endswith("stats"):
        assert list(body) == [str(production["project"].id)] and body[str(production["project"].id)]["amount"] == 5
    else:
        assert sorted(row["person_id"] for row in body) == sorted(str(a.id) for a in artists)
