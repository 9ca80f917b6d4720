"""The small requests pipeline tools send by the thousand cost at most two
queries, authentication included (issue 16): the person and the revocation
of its session in one, the rows with their many-to-many ids in the other."""

import pytest

from production.models import Project, Sequence, Shot, Task, TaskType
from tests.factories import make_person
from tests.helpers import assert_query_baseline, client_for
from zou_site.api import fast_rows


def linked_shot(production):
    """A shot with three tasks, each with assignees, cast with both assets."""
    shot = production["shots"][0]
    shot.entities_out.set(production["assets"])
    artists = [make_person("user", email=f"artist{n}@studio.test") for n in range(2)]
    production["project"].team.add(*artists)
    extra = [TaskType.objects.create(name=f"Extra {n}", for_shots=True, for_entity="Shot") for n in range(2)]
    for task_type in extra:
        Task.objects.create(name="main", project=shot.project, task_type=task_type, task_status=production["todo"], entity=shot)
    for task in shot.tasks.all():
        task.assignees.set(artists)
    return shot, artists


def test_one_shot_is_one_query_after_authentication(api_client, production, django_assert_max_num_queries):
    shot, _ = linked_shot(production)
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/<id>"):
        response = api_client.get(f"/api/data/shots/{shot.id}")
    body = response.json()
    assert response.status_code == 200
    assert body["id"] == str(shot.id) and body["name"] == "P01" and body["type"] == "Shot"
    assert body["entities_out"] == sorted(str(a.id) for a in production["assets"])
    assert body["sequence_id"] == str(production["sequences"][0].id) and body["data"] == {"frame_in": 100, "frame_out": 199}


def test_tasks_of_a_shot_are_one_query_after_authentication(api_client, production, django_assert_max_num_queries):
    shot, artists = linked_shot(production)
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/<id>/tasks"):
        response = api_client.get(f"/api/data/shots/{shot.id}/tasks")
        tasks = response.json()
    assert response.status_code == 200 and len(tasks) == 3
    assert {t["task_type_name"] for t in tasks} == {"Animation", "Extra 0", "Extra 1"}
    assert all(t["assignees"] == sorted(str(a.id) for a in artists) for t in tasks)
    assert all(t["entity_id"] == str(shot.id) and t["entity_name"] == "P01" for t in tasks)


def test_tasks_of_a_shot_without_tasks_unseen_or_of_another_kind(api_client, production):
    bare = Shot.objects.create(name="P09", project=production["project"], parent=production["sequences"][0])
    response = api_client.get(f"/api/data/shots/{bare.id}/tasks")
    assert response.status_code == 200 and response.json() == []
    # An asset's id is no shot: 404, although the asset has tasks.
    response = api_client.get(f"/api/data/shots/{production['assets'][0].id}/tasks")
    assert response.status_code == 404 and "message" in response.json()
    # And a shot's id is no asset.
    response = api_client.get(f"/api/data/assets/{production['shots'][0].id}/tasks")
    assert response.status_code == 404 and "message" in response.json()
    asset_tasks = api_client.get(f"/api/data/assets/{production['assets'][0].id}/tasks").json()
    assert asset_tasks and {t["entity_id"] for t in asset_tasks} == {str(production["assets"][0].id)}
    assert api_client.get(f"/api/data/shots/{bare.id}/tasks?page=1").json()["data"] == []
    outsider = client_for(make_person("user", email="outsider@studio.test"))
    response = outsider.get(f"/api/data/shots/{production['shots'][0].id}/tasks")
    assert response.status_code == 404 and "message" in response.json()
    response = outsider.get(f"/api/data/shots/{production['shots'][0].id}/tasks?page=1")
    assert response.status_code == 404


def test_projects_list_is_one_query_after_authentication(api_client, production, django_assert_max_num_queries):
    _, artists = linked_shot(production)
    for n in range(2):
        Project.objects.create(name=f"Other {n}", project_status=production["project"].project_status).team.add(artists[n])
    with assert_query_baseline(django_assert_max_num_queries, "GET data/projects"):
        response = api_client.get("/api/data/projects")
        projects = response.json()
    assert response.status_code == 200
    teams = {p["name"]: p["team"] for p in projects}
    assert teams == {
        "Cosmos Landromat": sorted(str(a.id) for a in artists),
        "Other 0": [str(artists[0].id)],
        "Other 1": [str(artists[1].id)],
    }


@pytest.mark.parametrize("path", ["data/shots", "data/entities"])
def test_a_name_filter_is_one_query_after_authentication(path, api_client, production, django_assert_max_num_queries):
    shot, _ = linked_shot(production)
    sequences = [Sequence.objects.create(name=f"S1{n}", project=production["project"]) for n in range(2)]
    others = [Shot.objects.create(name="P01", project=production["project"], parent=seq) for seq in sequences]
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots?name="):
        response = api_client.get(f"/api/{path}?name=P01")
        rows = response.json()
    assert response.status_code == 200
    assert sorted(r["id"] for r in rows) == sorted(str(s.id) for s in [shot, *others])
    by_id = {r["id"]: r for r in rows}
    assert by_id[str(shot.id)]["entities_out"] == sorted(str(a.id) for a in production["assets"])
    assert by_id[str(others[0].id)]["entities_out"] == []


def test_a_revoked_session_is_refused_on_the_very_next_request(production):
    person = make_person("manager", email="leaving@studio.test")
    client = client_for(person)
    assert client.get("/api/data/projects").status_code == 200
    assert client.get("/api/auth/logout").status_code == 200
    response = client.get("/api/data/projects")
    assert response.status_code == 401 and response.json()["message"] == "This token was revoked."


def test_a_long_list_streams_past_the_small_list_probe(api_client, production):
    """Past SMALL_LIST rows the list streams from a cursor, its many-to-many
    ids folded into the cursor's query too: the same rows either way."""
    asset = production["assets"][0]
    shots = [Shot(name=f"L{n:03d}", project=production["project"], entity_type=production["entity_type_shot"]) for n in range(fast_rows.SMALL_LIST + 5)]
    Shot.objects.bulk_create(shots)
    for shot in shots[:3]:
        shot.entities_out.add(asset)
    rows = api_client.get("/api/data/shots").json()
    assert len(rows) == fast_rows.SMALL_LIST + 5 + 3
    by_id = {r["id"]: r for r in rows}
    assert all(by_id[str(s.id)]["entities_out"] == [str(asset.id)] for s in shots[:3])
    assert by_id[str(shots[3].id)]["entities_out"] == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_creating_and_deleting_a_shot_costs_few_queries(api_client, production, django_assert_max_num_queries):
    """A shot made by gazu's new_shot and deleted with force, outside any
    test transaction (as served): the checks before the write need no
    savepoint, rows just read are not looked up again, the casting of a new
    shot is known empty, and the event is stored in the write's transaction."""
    from production.models import ApiEvent

    project, sequence = production["project"], production["sequences"][0]
    with assert_query_baseline(django_assert_max_num_queries, "POST data/projects/<id>/shots"):
        response = api_client.post(f"/api/data/projects/{project.id}/shots", {"name": "P77", "sequence_id": str(sequence.id)}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "P77" and body["sequence_id"] == str(sequence.id) and body["entities_out"] == [] and body["type"] == "Shot"
    assert ApiEvent.objects.filter(name="shot:new", object_id=body["id"]).count() == 1
    shot = Shot.objects.get(pk=body["id"])
    shot.entities_out.add(production["assets"][0])
    with assert_query_baseline(django_assert_max_num_queries, "DELETE data/shots/<id>?force=true"):
        response = api_client.delete(f"/api/data/shots/{shot.id}?force=true")
    assert response.status_code == 204
    assert not Shot.objects.filter(pk=shot.id).exists()
    assert not shot.entities_out.through.objects.filter(entity_in_id=shot.id).exists()
    assert ApiEvent.objects.filter(name="shot:delete", object_id=shot.id).count() == 1
