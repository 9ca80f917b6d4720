"""One contract for every data type of DESIGN §5, in both URL dialects:
list (bare array), page envelope, filters, create, get, partial PUT, delete,
and the 400/401/404 cases. Each list's query count is pinned and shown flat."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.data_types import DATA_TYPES, DIALECT_CASES
from tests.helpers import assert_query_baseline

ids = [f"{dt.name}:{path}" for dt, path in DIALECT_CASES]


def make_rows(dt, ctx, count=3, start=0):
    return [dt.make(start + n, ctx) for n in range(count)]


def expected_type(dt, row):
    return dt.zou_type or ("Asset" if row.entity_type.is_asset_type else row.entity_type.name)


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_list_is_a_bare_array_of_rows_with_a_flat_query_count(dt, path, ctx, api_client, django_assert_max_num_queries):
    rows = make_rows(dt, ctx)
    # auth (person + revoked-token check), the rows, one per many-to-many field
    with assert_query_baseline(django_assert_max_num_queries, f"GET {dt.paths[0]}"):
        response = api_client.get(f"/api/{path}")
        body = response.json()  # a streamed list runs its queries while read
    assert response.status_code == 200
    assert isinstance(body, list)
    by_id = {item["id"]: item for item in body}
    for row in rows:
        item = by_id[str(row.id)]
        assert item["type"] == expected_type(dt, row)
        assert "created_at" in item and "updated_at" in item
    assert "password" not in body[0]

    with CaptureQueriesContext(connection) as few:
        api_client.get(f"/api/{path}").json()
    make_rows(dt, ctx, count=3, start=10)
    with CaptureQueriesContext(connection) as more:
        assert len(api_client.get(f"/api/{path}").json()) == len(body) + 3
    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_page_envelope(dt, path, ctx, api_client):
    make_rows(dt, ctx)
    total = dt.model._default_manager.count() if dt.name != "entities" else None
    response = api_client.get(f"/api/{path}?page=1&limit=2")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"data", "total", "nb_pages", "limit", "offset", "page"}
    assert len(body["data"]) == 2 and body["limit"] == 2 and body["page"] == 1 and body["offset"] == 0
    if total is not None:
        assert body["total"] == total
    assert body["nb_pages"] == -(-body["total"] // 2)
    assert api_client.get(f"/api/{path}?page=0").status_code == 404
    assert api_client.get(f"/api/{path}?page={body['nb_pages'] + 1}&limit=2").status_code == 404
    bad = api_client.get(f"/api/{path}?page=two")
    assert bad.status_code == 400 and "page" in bad.json()["message"]


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_filters(dt, path, ctx, api_client):
    rows = make_rows(dt, ctx)
    target = rows[1]
    value = dt.filter_value(target) if dt.filter_value else _plain(target, dt.filter_field)
    response = api_client.get(f"/api/{path}", {dt.filter_field: value})
    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()] == [str(target.id)]

    # A JSON list means "any of these".
    wanted = sorted(str(r.id) for r in rows[:2])
    response = api_client.get(f"/api/{path}", {"id": f'["{wanted[0]}", "{wanted[1]}"]'})
    assert sorted(item["id"] for item in response.json()) == wanted

    unknown = api_client.get(f"/api/{path}", {"nmae": "typo"})
    assert unknown.status_code == 400
    assert "nmae" in unknown.json()["message"] and "name" in unknown.json()["message"] or "Allowed" in unknown.json()["message"]

    malformed = api_client.get(f"/api/{path}", {"id": "not-a-uuid"})
    assert malformed.status_code == 400 and "id" in malformed.json()["message"]
    malformed_list = api_client.get(f"/api/{path}", {"id": '["unterminated'})
    assert malformed_list.status_code == 400


def _plain(row, key):
    return str(getattr(row, key))


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_create_get_update_delete(dt, path, ctx, api_client):
    body = dt.create(ctx)
    created = api_client.post(f"/api/{path}", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    for key, value in body.items():
        if key == "password":
            assert "password" not in row
        elif key == "email":
            assert row["email"] == value.lower()
        elif key == "episode_id":
            assert row["parent_id"] == value
        elif key == "sequence_id":
            assert row["parent_id"] == value
        else:
            assert row[key] == value, key
    row_id = row["id"]
    assert dt.model._default_manager.filter(pk=row_id).exists()

    fetched = api_client.get(f"/api/{path}/{row_id}")
    assert fetched.status_code == 200 and fetched.json() == row

    # A fetched row sent back changed: read-only and unknown keys are ignored.
    changed = {**row, **dt.update, "type": "Nonsense", "created_at": "2000-01-01T00:00:00Z", "unknown_key": 1}
    updated = api_client.put(f"/api/{path}/{row_id}", changed, format="json")
    assert updated.status_code == 200, updated.content
    for key, value in dt.update.items():
        assert updated.json()[key] == value
    assert updated.json()["created_at"] == row["created_at"]
    assert updated.json()["id"] == row_id

    partial = api_client.put(f"/api/{path}/{row_id}", {}, format="json")
    assert partial.status_code == 200
    for key, value in dt.update.items():
        assert partial.json()[key] == value

    deleted = api_client.delete(f"/api/{path}/{row_id}")
    assert deleted.status_code == 204, deleted.content
    assert api_client.get(f"/api/{path}/{row_id}").status_code == 404
    assert not dt.model._default_manager.filter(pk=row_id).exists()


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_client_chosen_id_and_invalid_bodies(dt, path, ctx, api_client):
    chosen = str(uuid.uuid4())
    created = api_client.post(f"/api/{path}", {**dt.create(ctx), "id": chosen}, format="json")
    assert created.status_code == 201 and created.json()["id"] == chosen
    again = api_client.post(f"/api/{path}", {**dt.create(ctx), "id": chosen}, format="json")
    assert again.status_code == 400
    assert "message" in again.json()
    not_object = api_client.post(f"/api/{path}", ["a", "list"], format="json")
    assert not_object.status_code == 400 and "message" in not_object.json()


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_missing_rows_and_tokens(dt, path, ctx, api_client, anon_client):
    row = make_rows(dt, ctx, count=1)[0]
    for missing in (uuid.uuid4(), "not-a-uuid", "1"):
        for method in ("get", "put", "delete"):
            response = getattr(api_client, method)(f"/api/{path}/{missing}", {}, format="json")
            assert response.status_code == 404, (method, missing)
            assert "message" in response.json()
    for method, url in (("get", f"/api/{path}"), ("get", f"/api/{path}/{row.id}"), ("post", f"/api/{path}"),
                        ("put", f"/api/{path}/{row.id}"), ("delete", f"/api/{path}/{row.id}")):
        response = getattr(anon_client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert response.json()["message"]
    assert dt.model._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize("dt", DATA_TYPES, ids=[dt.name for dt in DATA_TYPES])
def test_trailing_slash_is_tolerated_without_redirect(dt, ctx, api_client):
    make_rows(dt, ctx, count=1)
    response = api_client.get(f"/api/{dt.paths[0]}/")
    assert response.status_code == 200 and isinstance(response.json(), list)


@pytest.mark.parametrize("dt,path", DIALECT_CASES, ids=ids)
def test_list_rows_are_the_detail_rows(dt, path, ctx, api_client):
    """Lists built from .values() (the fast path) must equal what the
    serializer gives for each row."""
    make_rows(dt, ctx)
    for row in api_client.get(f"/api/{path}").json():
        assert api_client.get(f"/api/{path}/{row['id']}").json() == row
    paged = api_client.get(f"/api/{path}?page=1").json()["data"]
    assert paged == api_client.get(f"/api/{path}").json()[: len(paged)]


def test_fast_rows_of_the_named_lists_equal_their_serializers(ctx, admin_person):
    from rest_framework.renderers import JSONRenderer

    from production import querysets
    from production.api.serializers import AssetWithNamesSerializer, ShotWithNamesSerializer
    from production.models import Asset, Shot
    from zou_site.api.fast_rows import fast_rows

    ctx["shots"][0].entities_out.add(ctx["assets"][0])
    for model, serializer in ((Shot, ShotWithNamesSerializer), (Asset, AssetWithNamesSerializer)):
        queryset = querysets.entities_with_names(admin_person, model.objects.all())
        rendered = json.loads(JSONRenderer().render(serializer(queryset, many=True).data))
        assert fast_rows(queryset, serializer) == rendered
