"""Casting writes store Zou's events (issue 19) from every door: the casting
routes (gazu.casting), the entity-link route, `entities_out` written through
an entity's row and the shot page's casting inline. One `entity-link:new|update|delete` per link, then one
`<kind>:casting-update` per entity whose casting changed, by the person who
made the change; an update records old → new (the link's history), and a
refused write stores nothing."""

import gazu
import pytest
from django.urls import reverse

from production.models import ApiEvent, Asset, EntityLink
from tests.events.conftest import stored
from tests.factories import make_production
from tests.helpers import assert_json_message, shot_page_with_casting

CASTING_EVENTS = ("entity-link:", ":casting-update")


@pytest.fixture
def cast(production):
    """P01 holds Tree ×2 and Victor, P03 Victor, Victor holds Tree (set
    dressing), E01 holds Victor; Rock cast nowhere. No event yet."""
    (p01, _, p03), (tree, victor) = production["shots"], production["assets"]
    for holder, asset, count in ((p01, tree, 2), (p01, victor, 1), (p03, victor, 1), (victor, tree, 3), (production["episode"], victor, 1)):
        EntityLink.objects.create(entity_in=holder, entity_out=asset, nb_occurences=count)
    production["rock"] = Asset.objects.create(name="Rock", project=production["project"], entity_type=production["asset_types"][0])
    ApiEvent.objects.all().delete()
    return production


def link_of(holder, asset):
    return EntityLink.objects.get(entity_in=holder, entity_out=asset)


def link_data(link_id, holder, asset, count, project, **extra):
    return {
        "entity_link_id": str(link_id), "entity_in_id": str(holder.id), "entity_out_id": str(asset.id),
        "nb_occurences": count, "project_id": str(project.id), **extra,
    }


def replacement(project, shot, *, new, updated, deleted):
    """A shot's casting replaced: one link added, one changed ((link as it
    was, its new count, changes)), one removed, so two cast after."""
    link, count, changes = updated
    return [
        ("entity-link:new", link_data(new.id, shot, new.entity_out, new.nb_occurences, project)),
        ("entity-link:update", link_data(link.id, shot, link.entity_out, count, project, changes=changes)),
        ("entity-link:delete", link_data(deleted.id, shot, deleted.entity_out, deleted.nb_occurences, project)),
        ("shot:casting-update", {"shot_id": str(shot.id), "nb_entities_out": 2, "project_id": str(project.id)}),
    ]


def casting_events():
    return [(name, data) for name, data in stored() if name.startswith(CASTING_EVENTS[0]) or name.endswith(CASTING_EVENTS[1])]


def test_a_casting_replaced_stores_each_link_then_the_shot_once_by_its_author(
    api_client, admin_person, cast, sink, django_capture_on_commit_callbacks
):
    project, p01, (tree, victor), rock = cast["project"], cast["shots"][0], cast["assets"], cast["rock"]
    tree_link, victor_link = link_of(p01, tree), link_of(p01, victor)
    body = [{"asset_id": str(tree.id), "nb_occurences": 5, "label": "fg"}, {"asset_id": str(rock.id), "nb_occurences": 1}]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.put(f"/api/data/projects/{project.id}/entities/{p01.id}/casting", body, format="json")
    assert response.status_code == 200, response.json()
    changes = {"nb_occurences": {"old": 2, "new": 5}, "label": {"old": "", "new": "fg"}}
    assert stored() == replacement(project, p01, new=link_of(p01, rock), updated=(tree_link, 5, changes), deleted=victor_link)
    assert set(ApiEvent.objects.values_list("person_id", "project_id")) == {(admin_person.id, project.id)}
    assert sink == [stored()]  # after the commit, in order

    # The link's history: the update, field by field, old → new, and who.
    history = api_client.get(f"/api/data/entity-links/{tree_link.id}/history").json()
    assert [(h["field"], h["old"], h["new"], h["person_name"]) for h in history] == [
        ("label", "", "fg", "Ada Admin"),
        ("nb_occurences", 2, 5, "Ada Admin"),
    ]

    # The same casting again changes nothing: no event.
    again = api_client.put(f"/api/data/projects/{project.id}/entities/{p01.id}/casting", body, format="json")
    assert again.status_code == 200 and ApiEvent.objects.count() == 4


def test_an_asset_and_an_episode_holding_assets_are_named_by_their_kind(api_client, cast):
    project, victor, e01, (tree, _) = cast["project"], cast["assets"][1], cast["episode"], cast["assets"]
    for holder in (victor, e01):
        assert api_client.put(f"/api/data/projects/{project.id}/entities/{holder.id}/casting", [], format="json").status_code == 200
    assert [(name, data) for name, data in stored() if name.endswith(":casting-update")] == [
        ("asset:casting-update", {"asset_id": str(victor.id), "nb_entities_out": 0, "project_id": str(project.id)}),
        ("episode:casting-update", {"episode_id": str(e01.id), "nb_entities_out": 0, "project_id": str(project.id)}),
    ]
    assert [data["entity_out_id"] for name, data in stored(name="entity-link:delete")] == [str(tree.id), str(victor.id)]


def test_one_asset_cast_in_many_entities_then_removed(api_client, admin_person, cast):
    project, (p01, p02, p03), (_, victor) = cast["project"], cast["shots"], cast["assets"]
    url = f"/api/data/projects/{project.id}/entities/casting/assets/{victor.id}"
    # P01 and P03 keep their counts (nothing to record), P02 gains Victor; then P03's count changes.
    response = api_client.put(url, {"entity_ids": [str(p01.id), str(p02.id), str(p03.id)], "label": ""}, format="json")
    assert response.status_code == 200, response.json()
    assert api_client.put(url, {"entity_ids": [str(p03.id)], "nb_occurences": 4}, format="json").status_code == 200
    p02_link, p03_link = link_of(p02, victor), link_of(p03, victor)
    assert stored() == [
        ("entity-link:new", link_data(p02_link.id, p02, victor, 1, project)),
        ("shot:casting-update", {"shot_id": str(p02.id), "nb_entities_out": 1, "project_id": str(project.id)}),
        ("entity-link:update", link_data(p03_link.id, p03, victor, 4, project, changes={"nb_occurences": {"old": 1, "new": 4}})),
        ("shot:casting-update", {"shot_id": str(p03.id), "nb_entities_out": 1, "project_id": str(project.id)}),
    ]
    ApiEvent.objects.all().delete()
    p01_link = link_of(p01, victor)
    assert api_client.put(url, {"entity_ids": [str(p01.id), str(p03.id)], "nb_occurences": 0}, format="json").status_code == 200
    by_id = lambda event: sorted(event[1].items())  # noqa: E731 (links and shots come in id order)
    assert [name for name, _ in stored()] == ["entity-link:delete"] * 2 + ["shot:casting-update"] * 2
    assert sorted(stored(), key=by_id) == sorted(
        [
            ("entity-link:delete", link_data(p01_link.id, p01, victor, 1, project)),
            ("entity-link:delete", link_data(p03_link.id, p03, victor, 4, project)),
            ("shot:casting-update", {"shot_id": str(p01.id), "nb_entities_out": 1, "project_id": str(project.id)}),
            ("shot:casting-update", {"shot_id": str(p03.id), "nb_entities_out": 0, "project_id": str(project.id)}),
        ],
        key=by_id,
    )
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.id}


def test_a_link_deleted_through_its_route(api_client, admin_person, cast):
    project, p01, tree = cast["project"], cast["shots"][0], cast["assets"][0]
    link = link_of(p01, tree)
    assert api_client.delete(f"/api/data/entity-links/{link.id}").status_code == 204
    assert stored() == [
        ("entity-link:delete", link_data(link.id, p01, tree, 2, project)),
        ("shot:casting-update", {"shot_id": str(p01.id), "nb_entities_out": 1, "project_id": str(project.id)}),
    ]
    assert ApiEvent.objects.get(name="entity-link:delete").person_id == admin_person.id


def test_a_refused_casting_write_stores_no_event_and_calls_no_sink(api_client, cast, sink, django_capture_on_commit_callbacks):
    project, p01, tree = cast["project"], cast["shots"][0], cast["assets"][0]
    before = sorted(EntityLink.objects.values_list("id", "nb_occurences"))
    with django_capture_on_commit_callbacks(execute=True):
        # A good line first, then the shot itself as an asset: refused whole.
        body = [{"asset_id": str(tree.id), "nb_occurences": 9}, {"asset_id": str(cast["shots"][1].id), "nb_occurences": 1}]
        assert_json_message(api_client.put(f"/api/data/projects/{project.id}/entities/{p01.id}/casting", body, format="json"), 400)
        cast_url = f"/api/data/projects/{project.id}/entities/casting/assets/{tree.id}"
        assert_json_message(api_client.put(cast_url, {"entity_ids": [str(p01.id), str(tree.id)], "nb_occurences": 0}, format="json"), 400)
    assert ApiEvent.objects.count() == 0 and sink == []
    assert sorted(EntityLink.objects.values_list("id", "nb_occurences")) == before


def test_the_shot_pages_casting_inline_stores_the_same_events(admin_browser, admin_person, cast):
    project, p01, (tree, victor), rock = cast["project"], cast["shots"][0], cast["assets"], cast["rock"]
    tree_link, victor_link = link_of(p01, tree), link_of(p01, victor)
    rows = [
        {"id": tree_link.pk, "entity_in": p01.pk, "entity_out": tree.pk, "nb_occurences": 3, "label": "bg"},
        {"id": victor_link.pk, "entity_in": p01.pk, "entity_out": victor.pk, "nb_occurences": 1, "label": "", "DELETE": "on"},
        {"entity_out": rock.pk, "nb_occurences": 2, "label": ""},
    ]
    response = admin_browser.post(reverse("admin:production_shot_change", args=[p01.pk]), shot_page_with_casting(p01, rows, initial=2))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    changes = {"nb_occurences": {"old": 2, "new": 3}, "label": {"old": "", "new": "bg"}}
    assert casting_events() == replacement(project, p01, new=link_of(p01, rock), updated=(tree_link, 3, changes), deleted=victor_link)
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.id}


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gazu_update_shot_casting_is_recorded_with_the_scripts_person(gazu_as):
    prod = make_production()
    project, p01, tree = prod["project"], prod["shots"][0], prod["assets"][0]
    manager = gazu_as("manager")
    gazu.casting.update_shot_casting(str(project.id), str(p01.id), [{"asset_id": str(tree.id), "nb_occurences": 2}])
    gazu.casting.update_shot_casting(str(project.id), str(p01.id), [{"asset_id": str(tree.id), "nb_occurences": 3}])
    assert [name for name, _ in stored()] == [
        "entity-link:new", "shot:casting-update", "entity-link:update", "shot:casting-update",
    ]
    assert stored(name="entity-link:update")[0][1]["changes"] == {"nb_occurences": {"old": 2, "new": 3}}
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {manager.id}
    last = gazu.sync.get_last_events(project=str(project.id), name="shot:casting-update")
    assert [event["data"]["shot_id"] for event in last] == [str(p01.id)] * 2


def test_entities_out_written_through_the_shots_row(api_client, cast):
    project, (p01, _, p03), (tree, victor) = cast["project"], cast["shots"], cast["assets"]
    victor_link = link_of(p01, victor)
    assert api_client.put(f"/api/data/shots/{p01.id}", {"entities_out": [str(tree.id)]}, format="json").status_code == 200
    assert [(name, data) for name, data in stored() if name != "shot:update"] == [
        ("entity-link:delete", link_data(victor_link.id, p01, victor, 1, project)),
        ("shot:casting-update", {"shot_id": str(p01.id), "nb_entities_out": 1, "project_id": str(project.id)}),
    ]
    changes = stored(name="shot:update")[0][1]["changes"]
    assert changes["entities_out"] == {"old": sorted([str(tree.id), str(victor.id)]), "new": [str(tree.id)]}
    ApiEvent.objects.all().delete()
    # gazu.shot.update_shot sends the row back whole: its casting unchanged, no casting event.
    shot = api_client.get(f"/api/data/shots/{p03.id}").json()
    assert api_client.put(f"/api/data/shots/{p03.id}", {**shot, "description": "wide"}, format="json").status_code == 200
    assert [name for name, _ in stored()] == ["shot:update"]
    ApiEvent.objects.all().delete()
    body = {"name": "P09", "project_id": str(project.id), "parent_id": str(cast["sequences"][0].id), "entities_out": [str(victor.id)]}
    created = api_client.post("/api/data/shots", body, format="json")
    assert created.status_code == 201, created.json()
    p09 = created.json()["id"]
    link = EntityLink.objects.get(entity_in_id=p09)
    assert stored() == [
        ("shot:new", {"shot_id": p09, "project_id": str(project.id)}),
        ("entity-link:new", {"entity_link_id": str(link.id), "entity_in_id": p09, "entity_out_id": str(victor.id), "nb_occurences": 1, "project_id": str(project.id)}),
        ("shot:casting-update", {"shot_id": p09, "nb_entities_out": 1, "project_id": str(project.id)}),
    ]
