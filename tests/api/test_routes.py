"""Nested reads, creation helpers and the task workflow of DESIGN §5, through
HTTP, in both URL dialects where both exist."""

import datetime

import pytest

from production.models import Asset, Comment, Project, Shot, Task, TaskStatus, TimeSpent
from tests.factories import make_person
from tests.helpers import assert_query_baseline


def ids(rows):
    return sorted(row["id"] for row in rows)


def test_api_root_answers_without_token_or_redirect(anon_client):
    for url in ("/api", "/api/"):
        response = anon_client.get(url)
        assert response.status_code == 200 and response.json()["api"] == "Zou"
    assert anon_client.head("/api").status_code == 200


def test_pagination_of_251_rows(api_client, production):
    shot = production["shots"][0]
    Task.objects.bulk_create(
        [
            Task(name=f"t{n:03d}", project=production["project"], task_type=production["task_types"][1],
                 task_status=production["todo"], entity=shot)
            for n in range(251 - Task.objects.count())
        ]
    )
    assert Task.objects.count() == 251
    pages = [api_client.get(f"/api/data/tasks?page={n}").json() for n in (1, 2, 3)]
    assert [len(p["data"]) for p in pages] == [100, 100, 51]
    assert [p["offset"] for p in pages] == [0, 100, 200]
    assert {p["total"] for p in pages} == {251} and {p["nb_pages"] for p in pages} == {3}
    seen = [row["id"] for p in pages for row in p["data"]]
    assert len(set(seen)) == 251
    assert api_client.get("/api/data/tasks?page=4").status_code == 404
    assert api_client.get("/api/data/tasks?page=0").status_code == 404
    assert len(api_client.get("/api/data/tasks").json()) == 251


def test_project_nested_reads(api_client, production, django_assert_max_num_queries):
    project = production["project"]
    other = Project.objects.create(name="Other")
    Shot.objects.create(name="X01", project=other)
    base = f"/api/data/projects/{project.id}"
    assert ids(api_client.get(f"{base}/episodes").json()) == [str(production["episode"].id)]
    assert ids(api_client.get(f"{base}/sequences").json()) == ids([{"id": str(s.id)} for s in production["sequences"]])
    with assert_query_baseline(django_assert_max_num_queries, "GET data/projects/<id>/shots"):
        shots = api_client.get(f"{base}/shots").json()
    assert ids(shots) == ids([{"id": str(s.id)} for s in production["shots"]])
    assert ids(api_client.get(f"{base}/assets").json()) == ids([{"id": str(a.id)} for a in production["assets"]])
    asset_types = {t["name"] for t in api_client.get(f"{base}/asset_types").json()}
    assert asset_types == {"Props", "Characters"}
    assert api_client.get(f"{base}/asset-types").json() == api_client.get(f"{base}/asset_types").json()
    assert {t["name"] for t in api_client.get(f"{base}/task_types").json()} == {"Animation", "Shaders"}
    props = production["asset_types"][0]
    assert [a["name"] for a in api_client.get(f"{base}/asset_types/{props.id}/assets").json()] == ["Tree"]
    # filters apply to nested lists too
    assert [s["name"] for s in api_client.get(f"{base}/shots?name=P02").json()] == ["P02"]
    assert api_client.get(f"{base}/shots?nope=1").status_code == 400


def test_open_and_all_projects(api_client, production):
    Project.objects.create(name="Closed one", project_status=production["project"].project_status.__class__.objects.get(name="Closed"))
    assert [p["name"] for p in api_client.get("/api/data/projects/open").json()] == ["Cosmos Landromat"]
    assert len(api_client.get("/api/data/projects/all").json()) == 2


def test_episode_and_sequence_nested_reads(api_client, production):
    episode, (seq1, seq2) = production["episode"], production["sequences"]
    assert ids(api_client.get(f"/api/data/episodes/{episode.id}/sequences").json()) == sorted([str(seq1.id), str(seq2.id)])
    assert len(api_client.get(f"/api/data/episodes/{episode.id}/shots").json()) == 3
    assert [s["name"] for s in api_client.get(f"/api/data/sequences/{seq1.id}/shots").json()] == ["P01", "P02"]
    # sequence_id and episode_id are the parent filters
    assert len(api_client.get(f"/api/data/shots?sequence_id={seq2.id}").json()) == 1
    assert len(api_client.get(f"/api/data/sequences?episode_id={episode.id}").json()) == 2


def test_shots_and_assets_all_carry_names(api_client, production, django_assert_max_num_queries):
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/all"):
        shots = api_client.get("/api/data/shots/all").json()
    first = next(s for s in shots if s["name"] == "P01")
    assert first["project_name"] == "Cosmos Landromat" and first["sequence_name"] == "S01"
    assert first["episode_name"] == "E01" and first["sequence_id"] == str(production["sequences"][0].id)
    with assert_query_baseline(django_assert_max_num_queries, "GET data/assets/all"):
        assets = api_client.get("/api/data/assets/all").json()
    tree = next(a for a in assets if a["name"] == "Tree")
    assert tree["asset_type_name"] == "Props" and tree["project_name"] == "Cosmos Landromat"
    assert tree["type"] == "Asset"


def test_with_tasks_lists(api_client, production, django_assert_max_num_queries):
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/with-tasks"):
        shots = api_client.get("/api/data/shots/with-tasks").json()
    assert len(shots) == 3 and all(len(s["tasks"]) == 1 for s in shots)
    assert shots[0]["tasks"][0]["task_type_id"] == str(production["task_types"][0].id)
    assets = api_client.get(f"/api/data/assets/with-tasks?project_id={production['project'].id}").json()
    assert len(assets) == 2 and all(len(a["tasks"]) == 1 for a in assets)


def test_entity_task_lists(api_client, production, django_assert_max_num_queries):
    shot, asset = production["shots"][0], production["assets"][0]
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/<id>/tasks"):
        tasks = api_client.get(f"/api/data/shots/{shot.id}/tasks").json()
    assert len(tasks) == 1
    assert tasks[0]["task_type_name"] == "Animation" and tasks[0]["task_status_short_name"] == "todo"
    assert tasks[0]["entity_name"] == "P01"
    assert [t["name"] for t in api_client.get(f"/api/data/shots/{shot.id}/task_types").json()] == ["Animation"]
    assert api_client.get(f"/api/data/shots/{shot.id}/task-types").json()[0]["name"] == "Animation"
    assert api_client.get(f"/api/data/assets/{asset.id}/tasks").json()[0]["task_type_name"] == "Shaders"
    assert api_client.get(f"/api/data/assets/{asset.id}/task_types").json()[0]["name"] == "Shaders"
    shot.entities_out.add(asset)
    assert [a["name"] for a in api_client.get(f"/api/data/shots/{shot.id}/assets").json()] == ["Tree"]


def test_creation_helpers(api_client, production):
    project = production["project"]
    base = f"/api/data/projects/{project.id}"
    episode = api_client.post(f"{base}/episodes", {"name": "E02"}, format="json")
    assert episode.status_code == 201 and episode.json()["type"] == "Episode"
    sequence = api_client.post(f"{base}/sequences", {"name": "S10", "episode_id": episode.json()["id"]}, format="json").json()
    assert sequence["parent_id"] == episode.json()["id"] and sequence["project_id"] == str(project.id)
    shot = api_client.post(f"{base}/shots", {"name": "P10", "sequence_id": sequence["id"], "data": {"frame_in": 1}}, format="json")
    assert shot.status_code == 201 and shot.json()["parent_id"] == sequence["id"]
    duplicate = api_client.post(f"{base}/shots", {"name": "P10", "sequence_id": sequence["id"]}, format="json")
    assert duplicate.status_code == 400 and "already exists" in duplicate.json()["message"]
    props = production["asset_types"][0]
    asset = api_client.post(f"{base}/asset-types/{props.id}/assets/new", {"name": "Rock", "description": "grey"}, format="json")
    assert asset.status_code == 201 and asset.json()["entity_type_id"] == str(props.id)
    assert Asset.objects.get(name="Rock").project == project

    animation, shaders = production["task_types"]
    entity_tasks = api_client.post(f"/api/data/entities/{shot.json()['id']}/tasks", {"task_type_ids": [str(animation.id)]}, format="json")
    assert entity_tasks.status_code == 201 and entity_tasks.json()[0]["task_type_id"] == str(animation.id)
    bad = api_client.post(f"/api/data/entities/{shot.json()['id']}/tasks", {"task_type_ids": "x"}, format="json")
    assert bad.status_code == 400 and "task_type_ids" in bad.json()["message"]

    created = api_client.post(f"/api/actions/task-types/{shaders.id}/assets/create-tasks", {"project_id": str(project.id)}, format="json")
    assert created.status_code == 201
    assert Task.objects.filter(task_type=shaders).count() == Asset.objects.filter(project=project).count()
    created = api_client.post(f"/api/actions/task-types/{animation.id}/shots/create-tasks", {}, format="json")
    assert Task.objects.filter(task_type=animation).count() == Shot.objects.count()


@pytest.mark.parametrize("start_url", ["/api/data/tasks/{id}/start", "/api/actions/tasks/{id}/start"])
def test_start_sets_wip_once(start_url, api_client, production):
    task = production["tasks"][0]
    response = api_client.put(start_url.format(id=task.id))
    assert response.status_code == 200 and response.json()["id"] == str(task.id)
    assert response.json()["task_status_id"] == str(TaskStatus.objects.get(short_name="wip").id)
    first_start = Task.objects.get(pk=task.pk).real_start_date
    assert first_start is not None
    api_client.put(start_url.format(id=task.id))
    assert Task.objects.get(pk=task.pk).real_start_date == first_start


@pytest.mark.parametrize("assign_url", ["/api/data/tasks/{id}/assign", "/api/actions/tasks/{id}/assign"])
def test_assign(assign_url, api_client, production):
    task, artist = production["tasks"][0], make_person("user")
    response = api_client.put(assign_url.format(id=task.id), {"person_id": str(artist.id)}, format="json")
    assert response.status_code == 200 and response.json()["assignees"] == [str(artist.id)]
    unknown = api_client.put(assign_url.format(id=task.id), {"person_id": "2f1c4f57-0000-4000-8000-000000000000"}, format="json")
    assert unknown.status_code == 400 and "person_id" in unknown.json()["message"]


def test_person_assign_and_clear(api_client, production):
    artist, other = make_person("user"), make_person("user")
    tasks = production["tasks"][:3]
    response = api_client.put(f"/api/actions/persons/{artist.id}/assign", {"task_ids": [str(t.id) for t in tasks]}, format="json")
    assert response.status_code == 200 and len(response.json()) == 3
    for task in tasks:
        task.assignees.add(other)
    cleared = api_client.put("/api/actions/tasks/clear-assignation", {"task_ids": [str(tasks[0].id)], "person_id": str(artist.id)}, format="json")
    assert cleared.json() == [str(tasks[0].id)]
    assert list(tasks[0].assignees.all()) == [other]
    api_client.put("/api/actions/tasks/clear-assignation", {"task_ids": [str(t.id) for t in tasks]}, format="json")
    assert all(t.assignees.count() == 0 for t in tasks)
    bad = api_client.put("/api/actions/tasks/clear-assignation", {"task_ids": ["nope"]}, format="json")
    assert bad.status_code == 400 and "task_ids" in bad.json()["message"]


def test_comments_change_status_and_list_newest_first(api_client, production):
    task = production["tasks"][0]
    wip, done = TaskStatus.objects.get(short_name="wip"), TaskStatus.objects.get(short_name="done")
    for text, status in (("started", wip), ("finished", done)):
        response = api_client.post(f"/api/actions/tasks/{task.id}/comment", {"task_status_id": str(status.id), "comment": text}, format="json")
        assert response.status_code == 201 and response.json()["text"] == text
    assert Task.objects.get(pk=task.pk).task_status == done
    comments = api_client.get(f"/api/data/tasks/{task.id}/comments").json()
    assert [c["text"] for c in comments] == ["finished", "started"]
    assert comments[0]["person"]["email"] == "admin@studio.test" and comments[0]["task_status"]["short_name"] == "done"
    unknown = api_client.post(f"/api/actions/tasks/{task.id}/comment", {"task_status_id": "2f1c4f57-0000-4000-8000-000000000000"}, format="json")
    assert unknown.status_code == 400 and Comment.objects.count() == 2


def test_time_spents(api_client, production):
    task, artist = production["tasks"][0], make_person("user")
    url = f"/api/actions/tasks/{task.id}/time-spents/2017-03-20/persons/{artist.id}"
    assert api_client.post(url, {"duration": 3600}, format="json").status_code == 201
    assert api_client.post(f"{url}/add", {"duration": 600}, format="json").json()["duration"] == 4200
    day = api_client.get(f"/api/actions/tasks/{task.id}/time-spents/2017-03-20").json()
    assert day["total"] == 4200 and day[str(artist.id)]["duration"] == 4200
    all_days = api_client.get(f"/api/actions/tasks/{task.id}/time-spents").json()
    assert all_days["total"] == 4200 and len(all_days[str(artist.id)]) == 1
    assert Task.objects.get(pk=task.pk).duration == 4200
    for bad_body in ({"duration": -5}, {"duration": "ten"}, {}):
        response = api_client.post(url, bad_body, format="json")
        assert response.status_code == 400 and "duration" in response.json()["message"]
    bad_date = api_client.post(f"/api/actions/tasks/{task.id}/time-spents/2017-13-40/persons/{artist.id}", {"duration": 1}, format="json")
    assert bad_date.status_code == 400
    assert TimeSpent.objects.get().duration == 4200


def test_task_full(api_client, production, django_assert_max_num_queries):
    task = production["tasks"][0]
    artist = make_person("user")
    task.assignees.add(artist)
    # auth (2), the task, and one per prefetched relation (5)
    with assert_query_baseline(django_assert_max_num_queries, "GET data/tasks/<id>/full"):
        full = api_client.get(f"/api/data/tasks/{task.id}/full").json()
    assert full["project"]["name"] == "Cosmos Landromat" and full["project_id"] == str(task.project_id)
    assert full["task_status"]["short_name"] == "todo" and full["task_type"]["name"] == "Animation"
    assert full["entity"]["name"] == "P01" and full["entity_type"]["name"] == "Shot"
    assert full["sequence"]["name"] == "S01"
    assert [p["id"] for p in full["persons"]] == [str(artist.id)]


def test_deletion_refused_while_pointed_at_and_forced(api_client, production):
    shot = production["shots"][0]
    task = production["tasks"][0]
    refused = api_client.delete(f"/api/data/sequences/{production['sequences'][0].id}")
    assert refused.status_code == 400 and "entities" in refused.json()["message"]
    refused = api_client.delete(f"/api/data/shots/{shot.id}")
    assert refused.status_code == 400 and "task" in refused.json()["message"]
    Comment.objects.create(object_id=task.id, text="note")
    TimeSpent.objects.create(task=task, person=make_person("user"), date=datetime.date(2017, 1, 1), duration=1)
    forced = api_client.delete(f"/api/data/shots/{shot.id}?force=True")
    assert forced.status_code == 204
    assert not Shot.objects.filter(pk=shot.pk).exists() and not Task.objects.filter(pk=task.pk).exists()
    assert not Comment.objects.filter(object_id=task.id).exists()
    not_for_projects = api_client.delete(f"/api/data/episodes/{production['episode'].id}?force=true")
    assert not_for_projects.status_code == 400 and "force" in not_for_projects.json()["message"]
    bad_flag = api_client.delete(f"/api/data/shots/{production['shots'][1].id}?force=maybe")
    assert bad_flag.status_code == 400 and "force" in bad_flag.json()["message"]
