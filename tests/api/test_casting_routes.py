"""The casting routes beyond what gazu checks (issue 15): roles and project
teams on every route, bad bodies answered 400 naming the field and the id and
changing nothing, entities_out written through the row, and flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from production.models import Asset, EntityLink, Episode, Project, ProjectStatus, Sequence, Shot
from tests.factories import make_person
from tests.helpers import assert_json_message, assert_query_baseline, client_for


@pytest.fixture
def cast(production):
    """The production with a casting: P01 holds Tree ×2 and Victor, P02 Tree,
    P03 Victor, Victor holds Tree (set dressing), E01 holds Victor; and a
    project `theirs` with its own shot and asset."""
    (p01, p02, p03), (tree, victor) = production["shots"], production["assets"]
    for holder, asset, count in ((p01, tree, 2), (p01, victor, 1), (p02, tree, 1), (p03, victor, 1), (victor, tree, 3), (production["episode"], victor, 1)):
        EntityLink.objects.create(entity_in=holder, entity_out=asset, nb_occurences=count)
    theirs = Project.objects.create(name="Theirs", project_status=ProjectStatus.objects.get(name="Open"))
    production["theirs"] = theirs
    production["their_shot"] = Shot.objects.create(name="Z01", project=theirs)
    production["their_asset"] = Asset.objects.create(name="Rock", project=theirs, entity_type=production["asset_types"][0])
    return production


def links(production):
    return sorted(EntityLink.objects.values_list("entity_in__name", "entity_out__name", "nb_occurences", "label"))


def routes(p):
    """Every casting route on the production's project, as (method, path, body)."""
    project, (p01, p02, p03), (tree, victor) = p["project"].id, p["shots"], p["assets"]
    link = EntityLink.objects.get(entity_in=p02, entity_out=tree)
    return [
        ("get", f"data/projects/{project}/entities/{p01.id}/casting", None),
        ("put", f"data/projects/{project}/entities/{p01.id}/casting", [{"asset_id": str(victor.id), "nb_occurences": 4}]),
        ("get", f"data/projects/{project}/sequences/{p['sequences'][0].id}/casting", None),
        ("get", f"data/projects/{project}/sequences/all/casting", None),
        ("get", f"data/projects/{project}/episodes/{p['episode'].id}/sequences/all/casting", None),
        ("get", f"data/projects/{project}/episodes/casting", None),
        ("get", f"data/projects/{project}/asset-types/{p['asset_types'][1].id}/casting", None),
        ("put", f"data/projects/{project}/entities/casting/assets/{tree.id}", {"entity_ids": [str(p03.id)], "nb_occurences": 0}),
        ("get", f"data/assets/{tree.id}/cast-in", None),
        ("get", f"data/projects/{project}/entity-links", None),
        ("delete", f"data/entity-links/{link.id}", None),
    ]


@pytest.mark.parametrize("role", ["supervisor", "user", "client"])
def test_off_the_team_every_casting_route_is_404_and_changes_nothing(role, cast):
    client = client_for(make_person(role))
    before = links(cast)
    for method, path, body in routes(cast):
        response = getattr(client, method)(f"/api/{path}", body, format="json")
        assert_json_message(response, 404)
    assert links(cast) == before


@pytest.mark.parametrize("role", ["user", "client"])
def test_artists_and_clients_of_the_team_read_the_casting_and_cannot_change_it(role, cast):
    person = make_person(role)
    cast["project"].team.add(person)
    client = client_for(person)
    before = links(cast)
    for method, path, body in routes(cast):
        response = getattr(client, method)(f"/api/{path}", body, format="json")
        if method == "get":
            assert response.status_code == 200, (path, response.content)
        else:
            assert "supervisors" in assert_json_message(response, 403)["message"], path
    assert links(cast) == before


@pytest.mark.parametrize("role,status", [("supervisor", 204), ("manager", 204), ("admin", 204)])
def test_the_projects_supervisors_managers_and_admins_change_it(role, status, cast):
    person = make_person(role)
    if role == "supervisor":
        cast["project"].team.add(person)
    client = client_for(person)
    for method, path, body in routes(cast):
        response = getattr(client, method)(f"/api/{path}", body, format="json")
        assert response.status_code == (status if method == "delete" else 200), (path, response.content)
    # P01's casting replaced by Victor ×4, Tree uncast from P03 (it had none), P02's Tree link deleted.
    assert links(cast) == [("E01", "Victor", 1, ""), ("P01", "Victor", 4, ""), ("P03", "Victor", 1, ""), ("Victor", "Tree", 3, "")]


def test_a_supervisor_of_another_project_may_not_change_this_one(cast):
    supervisor = make_person("supervisor")
    cast["theirs"].team.add(supervisor)
    client = client_for(supervisor)
    response = client.put(f"/api/data/projects/{cast['theirs'].id}/entities/{cast['their_shot'].id}/casting", [], format="json")
    assert response.status_code == 200  # their own project: yes
    mine = client.put(f"/api/data/projects/{cast['project'].id}/entities/{cast['shots'][0].id}/casting", [], format="json")
    assert_json_message(mine, 404)


def test_a_row_of_the_url_outside_the_project_is_404(api_client, cast):
    project, theirs = cast["project"].id, cast["theirs"].id
    for path in (
        f"data/projects/{project}/entities/{cast['their_shot'].id}/casting",
        f"data/projects/{theirs}/entities/{cast['shots'][0].id}/casting",
        f"data/projects/{theirs}/sequences/{cast['sequences'][0].id}/casting",
        f"data/projects/{theirs}/episodes/{cast['episode'].id}/sequences/all/casting",
    ):
        assert "not found" in assert_json_message(api_client.get(f"/api/{path}"), 404)["message"]
    put = api_client.put(f"/api/data/projects/{theirs}/entities/casting/assets/{cast['assets'][0].id}", {"entity_ids": []}, format="json")
    assert_json_message(put, 404)


def put_casting(client, production, body, holder=None):
    holder = holder or production["shots"][0]
    return client.put(f"/api/data/projects/{production['project'].id}/entities/{holder.id}/casting", body, format="json")


def test_bad_castings_are_400_naming_the_field_and_the_asset_and_change_nothing(api_client, cast):
    (tree, victor), their_asset, p02 = cast["assets"], cast["their_asset"], cast["shots"][1]
    before = links(cast)
    good = {"asset_id": str(tree.id), "nb_occurences": 1}
    cases = [
        ({"asset_id": str(tree.id)}, "casting"),  # not a list
        ([good, "Victor"], "line 1"),
        ([good, {"asset_id": str(victor.id), "nb_occurences": -1}], "nb_occurences"),
        ([good, {"asset_id": str(victor.id), "nb_occurences": "many"}], "nb_occurences"),
        ([good, {"asset_id": str(victor.id), "nb_occurences": True}], "nb_occurences"),
        ([good, {"asset_id": "not-an-id", "nb_occurences": 1}], "asset_id"),
        ([good, {"nb_occurences": 1}], "asset_id"),
        ([good, {"asset_id": str(victor.id), "label": "x" * 81}], "label"),
        ([good, {"asset_id": str(their_asset.id), "nb_occurences": 1}], str(their_asset.id)),  # another project's
        ([good, {"asset_id": str(p02.id), "nb_occurences": 1}], str(p02.id)),  # a shot is not an asset
        ([good, {"asset_id": str(tree.id), "nb_occurences": 2}], str(tree.id)),  # listed twice
    ]
    for body, named in cases:
        body_of = assert_json_message(put_casting(api_client, cast, body), 400)
        assert named in body_of["message"], (body, body_of)
    for field, body in (("nb_occurences", cases[2][0]), ("asset_id", cases[8][0])):
        assert field in assert_json_message(put_casting(api_client, cast, body), 400)["errors"]
    sequence = put_casting(api_client, cast, [good], holder=cast["sequences"][0])
    assert "entity_id" in assert_json_message(sequence, 400)["errors"]
    itself = put_casting(api_client, cast, [good], holder=tree)
    assert str(tree.id) in assert_json_message(itself, 400)["message"]
    assert links(cast) == before


def test_bad_cast_asset_bodies_are_400_and_change_nothing(api_client, cast):
    (p01, p02, p03), (tree, victor) = cast["shots"], cast["assets"]
    url = f"/api/data/projects/{cast['project'].id}/entities/casting/assets/{tree.id}"
    before = links(cast)
    cases = [
        ({}, "entity_ids"),
        ([str(p01.id)], "entity_ids"),  # a list, not {entity_ids}
        ({"entity_ids": "P01"}, "entity_ids"),
        ({"entity_ids": ["nope"]}, "entity_ids"),
        ({"entity_ids": [str(p01.id), str(cast["their_shot"].id)]}, str(cast["their_shot"].id)),
        ({"entity_ids": [str(p01.id), str(cast["sequences"][0].id)]}, str(cast["sequences"][0].id)),
        ({"entity_ids": [str(p01.id), str(tree.id)]}, str(tree.id)),  # in itself
        ({"entity_ids": [str(p01.id)], "nb_occurences": -2}, "nb_occurences"),
        ({"entity_ids": [str(p01.id)], "label": "x" * 81}, "label"),
    ]
    for body, named in cases:
        answer = assert_json_message(api_client.put(url, body, format="json"), 400)
        assert named in answer["message"], (body, answer)
    assert links(cast) == before
    missing = api_client.put(f"/api/data/projects/{cast['project'].id}/entities/casting/assets/{p02.id}", {"entity_ids": []}, format="json")
    assert_json_message(missing, 404)  # a shot is no asset to cast


def test_entities_out_written_through_the_row_keeps_counts_and_refuses_other_projects(api_client, cast):
    p01, (tree, victor) = cast["shots"][0], cast["assets"]
    shot = api_client.get(f"/api/data/shots/{p01.id}").json()
    # gazu.shot.update_shot sends the row back whole: its casting is unchanged.
    assert api_client.put(f"/api/data/shots/{p01.id}", {**shot, "description": "wide"}, format="json").status_code == 200
    assert sorted(EntityLink.objects.filter(entity_in=p01).values_list("entity_out__name", "nb_occurences")) == [("Tree", 2), ("Victor", 1)]
    assert api_client.put(f"/api/data/shots/{p01.id}", {"entities_out": [str(tree.id)]}, format="json").status_code == 200
    assert list(EntityLink.objects.filter(entity_in=p01).values_list("entity_out__name", "nb_occurences")) == [("Tree", 2)]
    foreign = api_client.put(f"/api/data/shots/{p01.id}", {"entities_out": [str(cast["their_asset"].id)]}, format="json")
    assert str(cast["their_asset"].id) in assert_json_message(foreign, 400)["errors"]["entities_out"][0]
    created = api_client.post(
        "/api/data/shots", {"name": "P09", "project_id": str(cast["project"].id), "entities_out": [str(victor.id)]}, format="json"
    )
    assert created.status_code == 201 and created.json()["entities_out"] == [str(victor.id)]


def test_deleting_a_cast_asset_removes_its_links(api_client, cast):
    victor = cast["assets"][1]
    assert api_client.delete(f"/api/data/assets/{victor.id}?force=true").status_code == 204
    assert not EntityLink.objects.filter(entity_out_id=victor.id).exists()
    assert not EntityLink.objects.filter(entity_in_id=victor.id).exists()


def _grown(production):
    """Three more shots in S01 casting three assets each, an episode E02
    casting three, and props holding props: Tree holds Rock, Rock holds Tree
    and Victor."""
    project, (tree, victor) = production["project"], production["assets"]
    rock = Asset.objects.create(name="Rock", project=project, entity_type=production["asset_types"][0])
    e02 = Episode.objects.create(name="E02", project=project)
    Sequence.objects.create(name="S09", project=project, parent=e02)
    holders = [Shot.objects.create(name=f"P1{n}", project=project, parent=production["sequences"][0]) for n in range(3)]
    for n, holder in enumerate([*holders, e02]):
        for asset in (tree, victor, rock):
            EntityLink.objects.create(entity_in=holder, entity_out=asset, nb_occurences=n + 1)
    EntityLink.objects.create(entity_in=tree, entity_out=rock)
    EntityLink.objects.create(entity_in=rock, entity_out=tree)
    EntityLink.objects.create(entity_in=rock, entity_out=victor)
    return rock


@pytest.mark.parametrize(
    "key,path,count",
    [
        ("GET data/projects/<id>/entities/<id>/casting", "data/projects/{project}/entities/{shot}/casting", 3),
        ("GET data/projects/<id>/sequences/<id>/casting", "data/projects/{project}/sequences/{sequence}/casting", 5),
        ("GET data/projects/<id>/sequences/all/casting", "data/projects/{project}/sequences/all/casting", 6),
        ("GET data/projects/<id>/episodes/<id>/sequences/all/casting", "data/projects/{project}/episodes/{episode}/sequences/all/casting", 6),
        ("GET data/projects/<id>/episodes/casting", "data/projects/{project}/episodes/casting", 2),
        ("GET data/projects/<id>/asset-types/<id>/casting", "data/projects/{project}/asset-types/{props}/casting", 2),
        ("GET data/assets/<id>/cast-in", "data/assets/{rock}/cast-in", 5),
        ("GET data/projects/<id>/entity-links", "data/projects/{project}/entity-links", 21),
    ],
)
def test_query_baselines(key, path, count, cast, django_assert_max_num_queries):
    supervisor = make_person("supervisor")
    cast["project"].team.add(supervisor)
    rock = _grown(cast)
    shot = Shot.objects.get(name="P10")
    url = "/api/" + path.format(
        project=cast["project"].id, shot=shot.id, sequence=cast["sequences"][0].id, episode=cast["episode"].id,
        props=cast["asset_types"][0].id, rock=rock.id,
    )
    client = client_for(supervisor)
    with assert_query_baseline(django_assert_max_num_queries, key):
        response = client.get(url)
    body = response.json()
    assert response.status_code == 200 and len(body) == count, body


def test_query_baselines_of_the_writes(cast, django_assert_max_num_queries):
    """A casting replaced, or an asset cast in many shots: as many queries for
    three lines or shots as for one (each replacement drops a link too, as
    each stores its events: one insert)."""
    rock = _grown(cast)
    p10, p11, p12 = Shot.objects.filter(name__in=["P10", "P11", "P12"]).order_by("name")
    bush = Asset.objects.create(name="Bush", project=cast["project"], entity_type=cast["asset_types"][0])
    EntityLink.objects.create(entity_in=p10, entity_out=bush)
    client = client_for(make_person("manager"))
    project, (tree, victor) = cast["project"].id, cast["assets"]
    counts = {}
    for n, shot in ((1, p11), (3, p10)):
        lines = [{"asset_id": str(a.id), "nb_occurences": 7} for a in (tree, victor, rock)[:n]]
        with CaptureQueriesContext(connection) as queries:
            with assert_query_baseline(django_assert_max_num_queries, "PUT data/projects/<id>/entities/<id>/casting"):
                answer = client.put(f"/api/data/projects/{project}/entities/{shot.id}/casting", lines, format="json")
        assert answer.status_code == 200 and len(answer.json()) == n
        counts[("casting", n)] = len(queries)
    (p01, p02, p03), e01 = cast["shots"], cast["episode"]
    # New links for one entity, then three; then links kept and new ones mixed.
    for n, shots in ((1, [p01]), (3, [p02, p03, e01]), ("mixed", [p10, p11, p12, p01])):
        body = {"entity_ids": [str(s.id) for s in shots], "nb_occurences": 2}
        with CaptureQueriesContext(connection) as queries:
            with assert_query_baseline(django_assert_max_num_queries, "PUT data/projects/<id>/entities/casting/assets/<id>"):
                answer = client.put(f"/api/data/projects/{project}/entities/casting/assets/{rock.id}", body, format="json")
        assert answer.status_code == 200 and len(answer.json()) == len(shots)
        counts[("cast", n)] = len(queries)
    assert counts[("casting", 1)] == counts[("casting", 3)] and counts[("cast", 1)] == counts[("cast", 3)], counts
