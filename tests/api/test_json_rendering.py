"""The answers' JSON is written by orjson (zou_site.api.renderers, fast_rows'
encode_row): the bytes must stay those DRF's JSONRenderer writes for the
serializers' data, whatever the rows hold (issue 16)."""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from production.api.serializers import ProjectSerializer
from production.models import Project
from zou_site.api.renderers import ZouJSONRenderer

# What a studio's data holds: accents and CJK, a JavaScript line separator, a
# float, an int past 64 bits (orjson refuses it), nested lists.
AWKWARD = {
    "note": "Plan séquence 東京 \u2028 next line \u2029",
    "fps": 23.976,
    "tiny": 1e-07,
    "big": 2**70,
    "frames": [1, 2, {"in": None, "out": True}],
}


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
    assert "东京 \\u2029".encode() in page


def test_the_renderer_writes_drfs_bytes(awkward_rows):
    projects = ProjectSerializer(Project.objects.all(), many=True).data  # Decimal fps, dates, UUIDs
    for data in (projects, {"data": projects, "total": 1}, AWKWARD, [], {}, "text"):
        assert ZouJSONRenderer().render(data) == JSONRenderer().render(data)
    # Pretty-printing, asked in the Accept header, is DRF's own.
    indented = "application/json; indent=4"
    assert ZouJSONRenderer().render(projects, indented) == JSONRenderer().render(projects, indented)
    assert ZouJSONRenderer().render(None) == b""
