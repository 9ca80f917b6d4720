"""Queries compiled once and run again with another person's values
(zou_site.api.compiled, issue 16): each person still gets exactly their own
rows, and a value that would change the query's shape is never substituted."""

import uuid

import pytest

from production.models import Project, Sequence, Shot, Task
from tests.factories import make_person
from tests.helpers import client_for
from zou_site.api import compiled


@pytest.fixture
def two_teams(production):
    """Two artists, each on a project of their own with a shot named P01."""
    source = production["project"]
    teams = []
    for n in range(2):
        project = Project.objects.create(name=f"Own {n}", project_status=source.project_status)
        artist = make_person("user", email=f"own{n}@studio.test")
        project.team.add(artist)
        sequence = Sequence.objects.create(name=f"SQ{n}", project=project)
        shot = Shot.objects.create(name="P01", project=project, parent=sequence)
        task = Task.objects.create(
            name="main", project=project, task_type=production["tasks"][0].task_type,
            task_status=production["todo"], entity=shot,
        )
        teams.append({"project": project, "artist": artist, "shot": shot, "task": task, "client": client_for(artist)})
    return teams


def reused_shapes():
    return [key for key, shape in getattr(compiled._local, "shapes", {}).items() if shape is not None]


def test_each_person_gets_their_own_rows_from_a_reused_query(two_teams):
    for _ in range(2):  # the second round runs every shape again, reused
        for mine, other in (two_teams, two_teams[::-1]):
            client = mine["client"]
            body = client.get(f"/api/data/shots/{mine['shot'].id}").json()
            assert body["id"] == str(mine["shot"].id) and body["project_id"] == str(mine["project"].id)
            assert client.get(f"/api/data/shots/{other['shot'].id}").status_code == 404
            assert [t["id"] for t in client.get(f"/api/data/shots/{mine['shot'].id}/tasks").json()] == [str(mine["task"].id)]
            assert client.get(f"/api/data/shots/{other['shot'].id}/tasks").status_code == 404
            assert [s["id"] for s in client.get("/api/data/shots?name=P01").json()] == [str(mine["shot"].id)]
            assert [p["id"] for p in client.get("/api/data/projects").json()] == [str(mine["project"].id)]
            assert client.get(f"/api/data/tasks/{mine['task'].id}").json()["entity_id"] == str(mine["shot"].id)
            assert client.get(f"/api/data/tasks/{other['task'].id}").status_code == 404
    reused = repr(reused_shapes())
    assert all(name in reused for name in ("'retrieve'", "('list', 'name')", "'Shot tasks'", "'person_for_token'"))


def test_values_that_change_a_query_shape_are_not_substituted(api_client, production, two_teams):
    """A name with outer spaces (the form strips it), a JSON list, an empty
    value: each goes the general way, whatever was compiled before."""
    assert len(api_client.get("/api/data/shots?name=P01").json()) == 3
    assert len(api_client.get("/api/data/shots?name=%20P01%20").json()) == 3
    assert len(api_client.get('/api/data/shots?name=["P01","P02"]').json()) == 4
    assert len(api_client.get("/api/data/shots?name=").json()) == len(api_client.get("/api/data/shots").json())
    assert api_client.get("/api/data/shots?name=P01&nope=1").status_code == 400
    assert api_client.get("/api/data/shots?name=P01").json()[0]["name"] == "P01"


def test_a_token_of_an_unknown_person_is_refused_after_a_reused_lookup(api_client, production):
    assert api_client.get("/api/data/projects").status_code == 200
    ghost = make_person("admin", email="ghost@studio.test")
    client = client_for(ghost)
    assert client.get("/api/data/projects").status_code == 200
    ghost.delete()
    response = client.get("/api/data/projects")
    assert response.status_code == 401 and response.json()["message"] == "The person of this token does not exist."


def test_a_probe_never_matches_a_constant():
    """Shapes are learnt by compiling with probe values: a query whose SQL
    text depends on a value is not reused."""
    from production.models import Person

    def by_name_or_all(name):
        return Person.objects.filter(email=name) if name != "all" else Person.objects.all()

    assert compiled._learn(lambda pk: Person.objects.filter(pk=pk), (uuid.uuid4(),)) is not None
    assert compiled._learn(by_name_or_all, ("all",)) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_shape_with_many_joins_keeps_its_written_order_for_itself_alone(api_client, production):
    """A shot's tasks (6 tables) are planned in their written join order,
    outside any transaction; the setting does not outlive the query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shot = production["shots"][0]
    with CaptureQueriesContext(connection) as queries:
        tasks = api_client.get(f"/api/data/shots/{shot.id}/tasks").json()
    assert {t["entity_id"] for t in tasks} == {str(shot.id)} and len(tasks) == shot.tasks.count() > 0
    assert [q["sql"].startswith(compiled.WRITTEN_ORDER) for q in queries.captured_queries] == [False, True]
    with connection.cursor() as cursor:
        cursor.execute("show join_collapse_limit")
        assert cursor.fetchone()[0] == "8"
    # Two joins (a shot by its id): planned as before.
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/data/shots/{shot.id}").json()["id"] == str(shot.id)
    assert not any(q["sql"].startswith(compiled.WRITTEN_ORDER) for q in queries.captured_queries)
