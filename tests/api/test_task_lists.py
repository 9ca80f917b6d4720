"""Behaviour of issue 15 B's routes beyond what gazu calls: both dialects of
bulk task creation, the bulk deletions' roles and refusals, the open tasks'
envelope and filters, and the query baselines of the main new lists."""

import pytest

from production.models import Comment, Project, ProjectStatus, Shot, Task, TaskStatus
from tests.factories import make_person
from tests.helpers import assert_json_message, assert_query_baseline, client_for


def ids(rows):
    return sorted(row["id"] for row in rows)


@pytest.fixture
def other_project(production):
    project = Project.objects.create(name="Elsewhere", project_status=ProjectStatus.objects.get(name="Open"))
    return {"project": project, "shot": Shot.objects.create(name="Z01", project=project)}


def test_zou_create_tasks_with_a_list_of_ids_creates_them_for_those_only(api_client, production, other_project):
    project, (p01, p02, p03) = production["project"], production["shots"]
    layout = production["task_types"][1]
    url = f"/api/actions/projects/{project.id}/task-types/{layout.id}/shots/create-tasks"
    created = api_client.post(url, [str(p01.id), str(p03.id)], format="json")
    assert created.status_code == 201
    assert sorted(t["entity_id"] for t in created.json()) == sorted([str(p01.id), str(p03.id)])
    assert set(Task.objects.filter(task_type=layout, entity__in=production["shots"]).values_list("entity_id", flat=True)) == {p01.id, p03.id}

    before = Task.objects.count()
    foreign = api_client.post(url, [str(p02.id), str(other_project["shot"].id)], format="json")
    body = assert_json_message(foreign, 400)
    assert str(other_project["shot"].id) in body["message"] and "entity_ids" in body["message"]
    asset = api_client.post(url, [str(production["assets"][0].id)], format="json")  # not a shot
    assert_json_message(asset, 400)
    malformed = api_client.post(url, ["not-an-id"], format="json")
    assert "entity_ids" in assert_json_message(malformed, 400)["message"]
    assert Task.objects.count() == before  # all or nothing

    # No list: every shot of the project (Zou's meaning), not the other project's.
    everything = api_client.post(url, [], format="json")
    assert everything.status_code == 201 and len(everything.json()) == 3
    assert not Task.objects.filter(task_type=layout, project=other_project["project"]).exists()


def test_seed_create_tasks_keeps_its_project_wide_meaning(api_client, production, other_project):
    shaders = production["task_types"][1]
    response = api_client.post(f"/api/actions/task-types/{shaders.id}/shots/create-tasks", {"project_id": str(production["project"].id)}, format="json")
    assert response.status_code == 201 and len(response.json()) == 3
    assert not Task.objects.filter(task_type=shaders, project=other_project["project"]).exists()
    everywhere = api_client.post(f"/api/actions/task-types/{shaders.id}/shots/create-tasks", {}, format="json")
    assert len(everywhere.json()) == 4


@pytest.mark.parametrize("role,expected", [("supervisor", 403), ("user", 403), ("client", 403), ("manager", 201)])
def test_create_tasks_roles(role, expected, production):
    person = make_person(role)
    production["project"].team.add(person)
    animation = production["task_types"][0]
    url = f"/api/actions/projects/{production['project'].id}/task-types/{animation.id}/assets/create-tasks"
    response = client_for(person).post(url, [str(production["assets"][0].id)], format="json")
    assert response.status_code == expected
    assert Task.objects.filter(task_type=animation, entity=production["assets"][0]).count() == (0 if expected == 403 else 1)


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
def test_bulk_deletion_is_for_managers(role, production):
    person = make_person(role)
    production["project"].team.add(person)
    client = client_for(person)
    project, task = production["project"], production["tasks"][0]
    refused = client.post(f"/api/actions/projects/{project.id}/delete-tasks", [str(task.id)], format="json")
    assert "managers" in assert_json_message(refused, 403)["message"]
    refused = client.delete(f"/api/actions/projects/{project.id}/task-types/{task.task_type_id}/delete-tasks")
    assert_json_message(refused, 403)
    assert Task.objects.count() == 5


def test_bulk_deletion_refusals_change_nothing(api_client, production, other_project):
    project, task = production["project"], production["tasks"][0]
    Comment.objects.create(object_id=task.id, text="kept")
    url = f"/api/actions/projects/{project.id}/delete-tasks"
    unknown = "2f1c4f57-0000-4000-8000-000000000000"
    assert unknown in assert_json_message(api_client.post(url, [str(task.id), unknown], format="json"), 400)["message"]
    assert "JSON list" in assert_json_message(api_client.post(url, {"task_ids": [str(task.id)]}, format="json"), 400)["message"]
    assert Task.objects.count() == 5 and Comment.objects.count() == 1
    missing_type = api_client.delete(f"/api/actions/projects/{project.id}/task-types/{unknown}/delete-tasks")
    assert_json_message(missing_type, 404)
    deleted = api_client.post(url, [str(task.id)], format="json")
    assert deleted.json() == [str(task.id)] and not Comment.objects.exists()
    assert api_client.get(f"/api/actions/projects/{project.id}/delete-tasks").status_code == 405


def test_open_tasks_envelope_and_filters(api_client, production):
    closed = Project.objects.create(name="Closed one", project_status=ProjectStatus.objects.get(name="Closed"))
    old = Shot.objects.create(name="Z01", project=closed)
    Task.objects.create(name="main", project=closed, task_type=production["task_types"][0], task_status=production["todo"], entity=old)
    done, p01 = TaskStatus.objects.get(short_name="done"), production["tasks"][0]
    Task.objects.filter(pk=production["tasks"][1].pk).update(task_status=done)
    body = api_client.get("/api/data/tasks/open-tasks").json()
    assert set(body) == {"data", "stats", "limit", "is_more", "total", "nb_pages", "offset", "page"}
    assert ids(body["data"]) == sorted(str(t.id) for t in production["tasks"] if t.pk != production["tasks"][1].pk)
    assert body["data"][0]["project_name"] == "Cosmos Landromat"
    animation = api_client.get(f"/api/data/tasks/open-tasks?task_type_id={production['task_types'][0].id}").json()
    assert ids(animation["data"]) == sorted(str(t.id) for t in (p01, production["tasks"][2]))
    episode = api_client.get(f"/api/data/tasks/open-tasks?episode_id={production['episode'].id}&task_status_id={production['todo'].id}").json()
    assert len(episode["data"]) == 2  # P01 and P03 (assets are not cast: not in the episode)
    assert "nmae" in assert_json_message(api_client.get("/api/data/tasks/open-tasks?nmae=x"), 400)["message"]
    assert "episode_id" in assert_json_message(api_client.get("/api/data/tasks/open-tasks?episode_id=E01"), 400)["message"]
    assert api_client.get("/api/data/tasks/open-tasks?page=9").status_code == 404


def test_person_tasks_of_an_unknown_person_is_404(api_client, production):
    response = api_client.get("/api/data/persons/2f1c4f57-0000-4000-8000-000000000000/tasks")
    assert "Person" in assert_json_message(response, 404)["message"]


def _grown(production, artist):
    """Three more tasks on P01 (six to do in all), assigned to the artist."""
    for n in range(3):
        task = Task.objects.create(
            name=f"extra {n}", project=production["project"], task_type=production["task_types"][n % 2],
            task_status=production["todo"], entity=production["shots"][0],
        )
        task.assignees.add(artist)
    for task in production["tasks"]:
        task.assignees.add(artist)


@pytest.mark.parametrize(
    "key,path",
    [
        ("GET data/projects/<id>/tasks", "data/projects/{project}/tasks"),
        ("GET data/persons/<id>/tasks", "data/persons/{artist}/tasks"),
        ("GET data/tasks/open-tasks", "data/tasks/open-tasks"),
        ("GET data/user/tasks", "data/user/tasks"),
    ],
)
def test_query_baselines(key, path, production, django_assert_max_num_queries):
    artist = make_person("user")
    production["project"].team.add(artist)
    _grown(production, artist)
    client = client_for(artist)
    url = "/api/" + path.format(project=production["project"].id, artist=artist.id)
    with assert_query_baseline(django_assert_max_num_queries, key):
        response = client.get(url)
        body = response.json()
    rows = body["data"] if isinstance(body, dict) else body
    assert len(rows) == 8
