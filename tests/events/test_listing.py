"""The event record read back: data/events/last as gazu.sync.get_last_events
calls it (newest first, narrowed to the caller's projects, a cursor to page
on) and a row's history after a CSV re-import."""

import time

import gazu
import pytest
from django.utils import timezone

from production.models import ApiEvent, Project, Shot
from tests.factories import make_person
from tests.helpers import assert_query_baseline, client_for
from tests.imports.test_csv_import import SHEETS, import_sheets, post_sheet


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gazu_get_last_events_returns_the_stored_events_newest_first(gazu_as):
    manager = gazu_as("manager")
    project = gazu.project.new_project("Harbour Lights")
    other = gazu.project.new_project("Night Ferry")
    # gazu's `after` is to the second: start on a new one, after the projects' events.
    time.sleep(1.05 - timezone.now().microsecond / 1e6)
    after = timezone.now().strftime("%Y-%m-%dT%H:%M:%S")
    sequence = gazu.shot.new_sequence(project, "SQ01")
    shots = [gazu.shot.new_shot(project, sequence, f"SH0{i}") for i in range(1, 4)]
    gazu.shot.new_sequence(other, "SQ99")

    events = gazu.sync.get_last_events(project=project, after=after, name="shot:new")
    assert [e["data"]["shot_id"] for e in events] == [s["id"] for s in reversed(shots)]
    assert {e["user_id"] for e in events} == {str(manager.id)}
    assert {e["project_id"] for e in events} == {project["id"]}
    assert [e["name"] for e in gazu.sync.get_last_events(project=project, after=after)] == [
        "shot:new", "shot:new", "shot:new", "sequence:new"
    ]
    assert gazu.sync.get_last_events(project=other, after=after, name="shot:new") == []


def test_the_cursor_pages_through_a_window(api_client, production):
    for name in ("Lighting", "Comp", "Layout", "Rigging", "FX"):
        assert api_client.post("/api/data/departments", {"name": name}, format="json").status_code == 201
    first = api_client.get("/api/data/events/last?limit=2&name=department:new").json()
    second = api_client.get(f"/api/data/events/last?limit=2&name=department:new&cursor_event_id={first[-1]['id']}").json()
    third = api_client.get(f"/api/data/events/last?limit=2&name=department:new&cursor_event_id={second[-1]['id']}").json()
    names = [e["data"]["department_id"] for page in (first, second, third) for e in page]
    created = list(ApiEvent.objects.filter(name="department:new").order_by("-created_at", "-id").values_list("data", flat=True))
    assert names == [data["department_id"] for data in created] and len(names) == 5


def test_a_person_sees_the_events_of_their_projects_only(api_client, production):
    shot = production["shots"][0]
    assert api_client.put(f"/api/data/shots/{shot.id}", {"description": "wide"}, format="json").status_code == 200
    assert api_client.post("/api/data/departments", {"name": "Lighting"}, format="json").status_code == 201
    outsider, member = make_person("user"), make_person("user")
    production["project"].team.add(member)
    assert client_for(outsider).get("/api/data/events/last").json() == []
    seen = client_for(member).get("/api/data/events/last").json()
    assert [e["name"] for e in seen] == ["shot:update"]  # not the studio-wide department
    project_id = production["project"].id
    assert client_for(outsider).get(f"/api/data/events/last?project_id={project_id}").json() == []
    assert len(api_client.get("/api/data/events/last").json()) == 2


@pytest.mark.parametrize(
    "query, field",
    [("limit=0", "limit"), ("limit=x", "limit"), ("after=yesterday", "after"), ("project_id=12", "project_id"),
     ("only_files=maybe", None), ("cursor_event_id=00000000-0000-0000-0000-000000000000", "cursor_event_id"),
     ("colour=red", "colour")],
)
def test_bad_parameters_are_400_naming_them(api_client, query, field):
    response = api_client.get(f"/api/data/events/last?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["message"]
    if field:
        assert field in response.json()["errors"]


def test_the_list_query_count_is_flat(api_client, production, django_assert_max_num_queries):
    member = make_person("user")
    production["project"].team.add(member)
    client = client_for(member)
    for shot in production["shots"]:
        api_client.put(f"/api/data/shots/{shot.id}", {"description": "wide"}, format="json")
    with assert_query_baseline(django_assert_max_num_queries, "GET data/events/last"):
        assert len(client.get("/api/data/events/last").json()) == 3


def test_a_shots_history_after_a_csv_reimport_names_field_old_new_and_who(api_client, admin_person, django_assert_max_num_queries):
    import_sheets(api_client, "projects", "persons", "shots")
    sheet = (SHEETS / "shots.csv").read_text().replace("1120,1200", "1120,1230")
    assert post_sheet(api_client, "shots", sheet).json()["updated"] == 1
    shot = Shot.objects.get(parent__name="SQ020")
    assert api_client.put(f"/api/data/shots/{shot.id}", {"description": "wide"}, format="json").status_code == 200
    with assert_query_baseline(django_assert_max_num_queries, "GET data/shots/<id>/history"):
        history = api_client.get(f"/api/data/shots/{shot.id}/history").json()
    frame_out = next(entry for entry in history if entry["field"] == "data.frame_out")
    assert (frame_out["old"], frame_out["new"]) == (1200, 1230)
    assert (frame_out["person_id"], frame_out["person_name"]) == (str(admin_person.id), "Ada Admin")
    assert [entry["field"] for entry in history] == ["description", "data.frame_out", "nb_frames", None]
    assert history[-1]["name"] == "shot:new"
    project = Project.objects.get(pk=shot.project_id)
    outsider = make_person("user")
    assert client_for(outsider).get(f"/api/data/shots/{shot.id}/history").status_code == 404
    project.team.add(outsider)
    assert client_for(make_person("user")).get(f"/api/data/shots/{shot.id}/history").status_code == 404
