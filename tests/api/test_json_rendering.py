"""The answers' JSON is written by orjson (zou_site.api.renderers, fast_rows'
encode_row): the bytes must stay those DRF's JSONRenderer writes for the
serializers' data, whatever the rows hold (issue 16)."""

import json
from datetime import date, datetime
from datetime import timezone as dt_timezone

import pytest
from django.db import connection
from rest_framework.renderers import JSONRenderer

from production import querysets
from production.api.serializers import (
    AssetWithNamesSerializer,
    EntitySerializer,
    ProjectSerializer,
    ShotWithNamesSerializer,
    ShotWithTasksSerializer,
    TaskSerializer,
)
from production.models import Asset, Entity, Project, Shot, Task
from zou_site.api.fast_rows import encode_row, fast_rows, iter_fast_rows, plan_for
from zou_site.api.pg_json import streamed_rows, writable
from zou_site.api.renderers import ZouJSONRenderer, dumps

# What a studio's data holds: accents and CJK, a JavaScript line separator, a
# float, an int past 64 bits (orjson refuses it), nested lists.
AWKWARD = {
    "note": "Plan séquence 東京 \u2028 next line \u2029",
    "fps": 23.976,
    "tiny": 1e-07,
    "big": 2**70,
    "frames": [1, 2, {"in": None, "out": True}],
}

# Floats whose shortest text has an exponent: orjson writes 1e-7 where the json module writes 1e-07.
FLOATS = {"tiny": 1e-07, "small": 2.5e-10, "large": 1e16, "fps": 23.976, "scene-1e-5": "take-2e-3"}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def awkward_rows(ctx):
    shot = ctx["shots"][0]
    shot.data = AWKWARD
    shot.description = "Line\u2028separator, «quotes» and \"escapes\"\n"
    shot.save()
    shot.entities_out.add(*ctx["assets"])
    task = ctx["tasks"][0]
    task.description = "东京 \u2029"
    task.data = FLOATS  # no int past 64 bits: orjson writes this row
    task.save()
    task.assignees.add(ctx["artist"])
    return ctx


def json_module_text(text):
    """What the json module wrote for the same rows before orjson."""
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")).encode()


def test_streamed_and_paged_lists_are_the_same_bytes(awkward_rows, api_client):
    project = awkward_rows["project"]
    for path in (f"data/shots/all?project_id={project.id}", f"data/shots/with-tasks?project_id={project.id}", "data/tasks"):
        streamed = body(api_client.get(f"/api/{path}"))
        assert streamed == json_module_text(streamed), path
        if "shots" in path:
            assert str(2**70).encode() in streamed  # through the json module: orjson refuses it
    for path in ("data/shots?page=1", "data/tasks?page=1", "data/tasks/%s/full" % awkward_rows["tasks"][0].id):
        response = api_client.get(f"/api/{path}")  # rendered by ZouJSONRenderer
        assert response.status_code == 200
        assert response.content == JSONRenderer().render(response.data), path
    page = api_client.get("/api/data/tasks?page=1").content
    assert "东京 \\u2029".encode() in page and b'"tiny":1e-07' in page
    assert b'"tiny":1e-07' in body(api_client.get("/api/data/tasks"))


def test_the_renderer_writes_drfs_bytes(awkward_rows):
    projects = ProjectSerializer(Project.objects.all(), many=True).data  # Decimal fps, dates, UUIDs
    for data in (projects, {"data": projects, "total": 1}, AWKWARD, FLOATS, [1e-05, "1e-5"], [], {}, "text"):
        assert ZouJSONRenderer().render(data) == JSONRenderer().render(data)
    # Pretty-printing, asked in the Accept header, is DRF's own.
    indented = "application/json; indent=4"
    assert ZouJSONRenderer().render(projects, indented) == JSONRenderer().render(projects, indented)
    assert ZouJSONRenderer().render(None) == b""


def test_columns_read_as_text_are_the_serializers(ctx, admin_person):
    """On PostgreSQL the fast path reads datetimes, dates and JSON as text
    and writes them as DRF does: a datetime on the second (no fraction), one
    whose fraction ends in zeros (PostgreSQL drops them, DRF writes six
    digits), dates, JSON data and a null."""
    on_the_second = datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt_timezone.utc)
    shots = ctx["shots"]
    Shot.objects.filter(pk=shots[0].pk).update(created_at=on_the_second, data={"a": [1, 2.5, "é"], "b": None})
    Shot.objects.filter(pk=shots[1].pk).update(created_at=on_the_second.replace(microsecond=120000), data=None)
    Task.objects.filter(pk=ctx["tasks"][0].pk).update(
        start_date=date(2026, 2, 3), due_date=date(999, 12, 31), real_start_date=on_the_second.replace(microsecond=5),
        data={"x": 1},
    )
    cases = (
        (querysets.entities_with_names(admin_person, Shot.objects.all()), ShotWithNamesSerializer),
        (querysets.tasks_for_api(admin_person, Task.objects.all()), TaskSerializer),
    )
    for queryset, serializer in cases:
        expected = json.loads(JSONRenderer().render(serializer(queryset, many=True).data))
        rows = fast_rows(queryset, serializer)
        assert rows == expected
        assert [json.loads(encode_row(row)) for row in rows] == expected
    row = next(r for r in fast_rows(cases[0][0], ShotWithNamesSerializer) if r["id"] == str(shots[0].pk))
    assert row["created_at"] == "2026-01-02T03:04:05Z"


def test_orjsons_text_is_the_json_modules_or_refused():
    floats = [sign * m * 10.0**e for e in range(-12, 25) for m in (1, 1.5, 2.345678, 9.99) for sign in (1, -1)]
    for value in floats:
        for data in (value, [value, "id-1e-5ecd"], {"v": value}):
            text = dumps(data, None)
            assert text is None or text == json.dumps(data, separators=(",", ":")).encode(), value
    assert dumps({"id": "97b52f1e-5ecd-4c56", "fps": 25.0}, None) is not None


def test_long_lists_written_by_postgresql_are_the_rows_bytes(awkward_rows, admin_person):
    """A long list's rows are written by PostgreSQL (fast_rows._pg_texts) on
    PostgreSQL: the bytes are those encode_row writes for the rows read from
    a cursor (iter_fast_rows), children merged in, keys in the same order,
    whatever the JSON data holds (jsonb's spaces and numerics, strings that
    look like its separators or like the `"data":null` it replaces)."""
    ctx = awkward_rows
    shots, tasks = ctx["shots"], ctx["tasks"]
    Shot.objects.filter(pk=shots[1].pk).update(
        data={"a, b": "c: d", "e": ['"data":null', "\\", "\x01\t"], "f": 1e-05, "g": 0.5, "h": 2**64, "i": {"j": []}},
        description='"data":null',
    )
    Task.objects.filter(pk=tasks[1].pk).update(data=[1.0, -0.0, 1e300, "x"], name="main \u2028 \x7f")
    Task.objects.filter(pk=tasks[2].pk).update(data="just a string", shotgun_id=-7, end_date=None)
    Shot.objects.filter(pk=shots[2].pk).update(shotgun_id=2**31 - 1, nb_frames=None, canceled=True)
    cases = [
        (querysets.entities_with_names(admin_person, Shot.objects.all()), ShotWithNamesSerializer, None),
        (querysets.entities_with_names(admin_person, Asset.objects.all()), AssetWithNamesSerializer, None),
        (querysets.entities_for_api(admin_person, Entity.objects.all()), EntitySerializer, None),
        (querysets.tasks_for_api(admin_person, Task.objects.all()), TaskSerializer, None),
    ]
    with_names = querysets.entities_with_names(admin_person, Shot.objects.all()).order_by("name", "id")
    tasks_of = querysets.tasks_for_api(admin_person, Task.objects.filter(entity__in=with_names.values("pk")))
    children = {"tasks": (tasks_of.order_by("entity__name", "entity_id", "task_type__priority", "name", "id"), "entity_id")}
    cases.append((with_names, ShotWithTasksSerializer, children))
    for queryset, serializer_class, nested in cases:
        written = b"".join(streamed_rows(queryset, serializer_class, nested, probed=True))
        rows = iter_fast_rows(queryset, serializer_class, children=nested, probed=True)
        assert written == b"[" + b",".join(encode_row(row) for row in rows) + b"]", serializer_class.__name__
        assert written == json_module_text(written)
    if connection.vendor == "postgresql":
        assert writable(plan_for(ShotWithTasksSerializer)) and writable(plan_for(TaskSerializer))
