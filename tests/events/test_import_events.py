"""CSV and Shotgun imports store their events in bulk, in the import's
transaction: a failing import leaves none; a re-import records each changed
field old → new with who imported."""

from imports.models import DataImportError
from production.models import ApiEvent, Shot, Task
from tests.events.conftest import stored
from tests.imports.test_csv_import import SHEETS, TASK_HEADER, good_task_rows, import_sheets, post_sheet


def test_a_first_import_records_each_row_and_reference_it_creates(api_client, admin_person):
    import_sheets(api_client, "projects", "persons", "shots")
    names = [name for name, _ in stored()]
    assert names.count("project:new") == 3
    shots = {str(pk) for pk in Shot.objects.values_list("pk", flat=True)}
    assert {data["shot_id"] for name, data in stored(name="shot:new")} == shots
    assert len(stored(name="sequence:new")) == 2 and len(stored(name="episode:new")) == 1
    # The sequences before their shots.
    assert names.index("sequence:new") < names.index("shot:new")
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.id}


def test_a_reimport_records_only_the_changed_fields(api_client, admin_person):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    ApiEvent.objects.all().delete()
    sheet = (SHEETS / "shots.csv").read_text().replace("1120,1200", "1120,1230")
    assert post_sheet(api_client, "shots", sheet).json()["updated"] == 1
    shot = Shot.objects.get(parent__name="SQ020")
    assert stored() == [
        (
            "shot:update",
            {
                "shot_id": str(shot.id),
                "project_id": str(shot.project_id),
                "changes": {"data.frame_out": {"old": 1200, "new": 1230}, "nb_frames": {"old": 81, "new": 111}},
            },
        )
    ]


def test_a_task_reimport_changing_status_and_assignees(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    ApiEvent.objects.all().delete()
    blocking = Task.objects.get(task_type__name="Blocking")
    sheet = (SHEETS / "tasks.csv").read_text()
    line = next(line for line in sheet.splitlines() if ",Blocking," in line)
    changed = line.replace(",Ines Duarte,16,", ",,16,").replace(",WIP", ",Done")
    assert changed != line
    body = post_sheet(api_client, "tasks", sheet.replace(line, changed)).json()
    assert body["updated"] == 1, body
    names = [name for name, _ in stored()]
    assert names == ["task:update", "task:status-changed", "task:unassign"]
    changes = stored(name="task:update")[0][1]["changes"]
    assert changes["task_status_id"]["old"] == str(blocking.task_status_id)
    assert changes["assignees"]["new"] == []


def test_a_failing_import_leaves_no_event(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    ApiEvent.objects.all().delete()
    rows = good_task_rows(10)
    rows.insert(5, "Harbour Lights,Animation,Blocking,EP01,SQ010,SH010,,,Bad person,Ines Duarte,Jane Roe,1,1,2026-02-02,,,,WIP")
    response = post_sheet(api_client, "tasks", "\n".join([TASK_HEADER, *rows]))
    assert response.status_code == 400
    assert DataImportError.objects.filter(source="csv").exists()
    assert stored() == []
    # A dry run writes none either.
    assert post_sheet(api_client, "tasks", "\n".join([TASK_HEADER, *good_task_rows(3)]), dry_run="true").status_code == 200
    assert stored() == []


def test_a_shotgun_import_records_new_rows_then_the_changes_of_a_reimport(api_client, admin_person):
    from tests.imports.test_shotgun_import import fixture_records, import_fixture_export, post

    import_fixture_export(api_client)
    shot = Shot.objects.get(shotgun_id=601)
    assert ("shot:new", {"shot_id": str(shot.id), "project_id": str(shot.project_id)}) in stored()
    previews = stored(name="preview-file:new")  # Versions reach their project through their task
    assert previews and all(data["project_id"] == str(shot.project_id) for _, data in previews)
    assert import_fixture_export(api_client)  # again: nothing changes, nothing is recorded
    ApiEvent.objects.all().delete()

    shots = fixture_records("shots")
    shots[0].update(description="Wide", sg_cut_in=101, sg_cut_duration=24)
    assert post(api_client, "shots", shots).json()["updated"] == 1
    [(name, data)] = stored()
    assert name == "shot:update"
    assert data["changes"]["description"]["new"] == "Wide"
    assert data["changes"]["data.frame_in"]["new"] == 101

    tasks = fixture_records("tasks")
    tasks[1]["task_assignees"] = []
    assert post(api_client, "tasks", tasks).json()["updated"] == 1
    task = Task.objects.get(shotgun_id=7076)
    update = stored(name="task:update")[0][1]
    assert update["task_id"] == str(task.id) and update["changes"]["assignees"]["new"] == []
    assert [name for name, _ in stored(object_id=task.id)] == ["task:update", "task:unassign"]
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.id}


def test_a_shotgun_import_records_the_casting_links_it_writes_and_removes(api_client, admin_person):
    """A shot record's `assets` is its casting: each link written or removed
    is an `entity-link:*` event, and the shot gets one `shot:casting-update`."""
    from production.models import Asset, EntityLink
    from tests.imports.test_shotgun_import import fixture_records, import_fixture_export, post

    import_fixture_export(api_client)
    shot, keeper = Shot.objects.get(shotgun_id=601), Asset.objects.get(shotgun_id=501)
    link = EntityLink.objects.get(entity_in=shot, entity_out=keeper)
    ids = {"entity_link_id": str(link.id), "entity_in_id": str(shot.id), "entity_out_id": str(keeper.id), "nb_occurences": 1, "project_id": str(shot.project_id)}
    assert stored(name="entity-link:new") == [("entity-link:new", ids)]
    assert stored(name="shot:casting-update") == [
        ("shot:casting-update", {"shot_id": str(shot.id), "nb_entities_out": 1, "project_id": str(shot.project_id)})
    ]
    assert ApiEvent.objects.get(name="entity-link:new").person_id == admin_person.id
    ApiEvent.objects.all().delete()

    shots = fixture_records("shots")
    shots[0]["assets"] = []
    assert post(api_client, "shots", shots).json()["updated"] == 1
    assert not EntityLink.objects.filter(entity_in=shot).exists()
    assert stored(name="entity-link:delete") == [("entity-link:delete", ids)]
    assert stored(name="shot:casting-update")[0][1]["nb_entities_out"] == 0
    assert stored(name="shot:update")[0][1]["changes"]["entities_out"] == {"old": [str(keeper.id)], "new": []}
