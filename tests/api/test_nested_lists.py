"""Every nested and helper list answers as `data/<type>` does (issue 12): an
unknown query key is a 400 naming it, `?page` gives Zou's envelope, the query
count stays flat as rows are added, and a malformed id anywhere in the path
is a 404."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from tests.api.nested_lists import NESTED_LISTS, path_for

# Pinned: auth (person, revoked-token check), the row of the URL, the rows,
# one per many-to-many field or nested row, the children's rows.
NESTED_MAX_QUERIES = 7

ids = [nested.path for nested in NESTED_LISTS]


def grow(nested, ctx, count, start):
    for n in range(start, start + count):
        nested.add(n, ctx)


@pytest.mark.parametrize("nested", NESTED_LISTS, ids=ids)
def test_unknown_filter_is_a_400_naming_it(nested, ctx, api_client):
    response = api_client.get(f"/api/{path_for(nested, ctx)}?nmae=x")
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("Unknown filter 'nmae'") and body["errors"] == {"nmae": ["Unknown filter."]}


@pytest.mark.parametrize("nested", NESTED_LISTS, ids=ids)
def test_page_envelope_holds_a_slice_of_the_whole_list(nested, ctx, api_client):
    grow(nested, ctx, 3, 0)
    path = path_for(nested, ctx)
    whole = api_client.get(f"/api/{path}").json()
    assert len(whole) >= 3
    body = api_client.get(f"/api/{path}?page=2&limit=2").json()
    assert set(body) == {"data", "total", "nb_pages", "limit", "offset", "page"}
    assert body["total"] == len(whole) and body["nb_pages"] == -(-len(whole) // 2)
    assert (body["page"], body["limit"], body["offset"]) == (2, 2, 2)
    assert body["data"] == whole[2:4]


@pytest.mark.parametrize("nested", NESTED_LISTS, ids=ids)
def test_query_count_is_flat(nested, ctx, api_client, django_assert_max_num_queries):
    path = f"/api/{path_for(nested, ctx)}"
    grow(nested, ctx, 3, 0)
    with django_assert_max_num_queries(NESTED_MAX_QUERIES):
        few = api_client.get(path).json()  # a streamed list runs its queries while read
    with CaptureQueriesContext(connection) as before:
        api_client.get(path).json()
    grow(nested, ctx, 3, 10)
    with CaptureQueriesContext(connection) as after:
        more = api_client.get(path).json()
    assert len(more) == len(few) + 3
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("nested", [n for n in NESTED_LISTS if "{" in n.path], ids=[n.path for n in NESTED_LISTS if "{" in n.path])
def test_a_malformed_id_anywhere_in_the_path_is_404(nested, ctx, api_client):
    path = path_for(nested, ctx)
    for found in re.finditer(r"[0-9a-f]{8}-[0-9a-f-]{27}", path):
        broken = path[: found.start()] + "not-a-uuid" + path[found.end():]
        response = api_client.get(f"/api/{broken}")
        assert response.status_code == 404, broken
        assert "message" in response.json()


def test_malformed_asset_type_id_is_404_not_400(ctx, api_client):
    response = api_client.get(f"/api/data/projects/{ctx['project'].id}/asset_types/not-a-uuid/assets")
    assert response.status_code == 404


def test_from_path_is_never_read_as_a_task_id():
    """`data/tasks/from-path` and `data/tasks/<id>` no longer depend on the
    order in which the apps include their URLs: no id pattern takes a word."""
    from production.api.urls import urlpatterns

    assert resolve("/api/data/tasks/from-path").url_name == "task-from-path"
    assert not [p for p in urlpatterns if p.pattern.match("data/tasks/from-path")]
