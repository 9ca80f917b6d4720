"""One inclusive frame rule at every door (issue 18): a range counts both its
ends, so out = in + duration - 1, and nb_frames follows the range whenever
both ends are known. Shotgun shots used out = in + duration and overlapped
the next shot by a frame; CSV shots got no nb_frames and took out before in."""

import json

from django.urls import reverse

from production.models import Shot
from tests.imports.test_csv_import import post_sheet
from tests.imports.test_shotgun_import import fixture_records, import_fixture_export, post


def test_a_range_moved_over_the_api_recounts_nb_frames(api_client, production):
    shot = production["shots"][0]
    response = api_client.put(f"/api/data/shots/{shot.id}", {"data": {"frame_in": 1001, "frame_out": 1024}}, format="json")
    assert response.status_code == 200 and response.json()["nb_frames"] == 24
    assert Shot.objects.get(pk=shot.pk).nb_frames == 24


def test_the_shot_form_counts_frames_from_its_range_over_a_stale_count(admin_browser, production):
    shot = production["shots"][0]
    Shot.objects.filter(pk=shot.pk).update(nb_frames=100)
    data = {
        "project": shot.project_id, "parent": shot.parent_id, "name": shot.name, "description": "",
        "frame_in": 101, "frame_out": 148, "nb_frames": 100, "shotgun_id": "", "data": "null",
        "tasks-TOTAL_FORMS": "0", "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000",
        "casting_links-TOTAL_FORMS": "0", "casting_links-INITIAL_FORMS": "0",
    }
    url = reverse("admin:production_shot_change", args=[shot.pk])
    page = admin_browser.get(url).content.decode()
    assert "both ends count" in page
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    shot.refresh_from_db()
    assert (shot.data, shot.nb_frames) == ({"frame_in": 101, "frame_out": 148}, 48)


def test_a_csv_shot_gets_its_count_and_an_update_recounts_it(api_client):
    header = "Project;Episode;Sequence;Name;Frame In;Frame Out\n"
    assert post_sheet(api_client, "shots", header + "Agent 327;E01;SQ01;SH010;1001;1048\n").json()["created"] == 1
    assert Shot.objects.get().nb_frames == 48
    assert post_sheet(api_client, "shots", header + "Agent 327;E01;SQ01;SH010;1001;1010\n").json()["updated"] == 1
    assert Shot.objects.get().nb_frames == 10


def test_a_csv_frame_out_before_frame_in_is_refused_on_its_line(api_client):
    sheet = "Project;Sequence;Name;Frame In;Frame Out\nAgent 327;SQ01;SH010;1001;1048\nAgent 327;SQ01;SH020;1100;1049\n"
    response = post_sheet(api_client, "shots", sheet)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"line": 3, "column": "Frame Out", "message": "Frame Out (1049) comes before Frame In (1100)."}
    ]
    assert not Shot.objects.exists()


def test_shotgun_cuts_end_one_frame_before_the_next_shot_starts(api_client):
    import_fixture_export(api_client)
    shot = fixture_records("shots")[0]
    following = {**shot, "id": 602, "code": "HL010_0020", "sg_cut_in": 149, "sg_cut_duration": 24}
    shot.update(sg_cut_in=101, sg_cut_duration=48)
    response = post(api_client, "shots", json.dumps([shot, following]))
    assert response.status_code == 200, response.content
    first, second = Shot.objects.get(shotgun_id=601), Shot.objects.get(shotgun_id=602)
    assert (first.frame_in, first.frame_out, first.nb_frames) == (101, 148, 48)
    assert (second.frame_in, second.frame_out, second.nb_frames) == (149, 172, 24)
    assert first.frame_out < second.frame_in
