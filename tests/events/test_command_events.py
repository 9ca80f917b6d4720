"""`manage.py` is a door like the others: its changes are events with who
made them. `--as EMAIL` (or $ZOU_OPERATOR) names the person; without it the
events name the command and the system user, and the history shows that."""

import getpass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from production.models import ApiEvent, Person, Project, Shot, Task
from tests.events.conftest import stored
from tests.imports.test_csv_import import SHEETS


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def import_shots(*extra):
    run("import_csv", "projects", str(SHEETS / "projects.csv"), *extra)
    run("import_csv", "shots", str(SHEETS / "shots.csv"), *extra)


def test_an_import_without_operator_names_the_command_and_system_user(db, api_client):
    import_shots()
    via = f"manage.py import_csv (os user: {getpass.getuser()})"
    shot_events = stored(name="shot:new")
    assert len(shot_events) == Shot.objects.count() == 3
    assert {data["via"] for _, data in stored()} == {via}
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {None}
    # The row's history (API) says which door made it.
    shot = Shot.objects.get(name="SH020")
    history = api_client.get(f"/api/data/shots/{shot.pk}/history").json()
    assert history[0]["field"] is None and history[0]["person_id"] is None
    assert history[0]["via"] == via


def test_an_import_as_a_person_records_that_person(db, admin_person, api_client, tmp_path):
    import_shots("--as", "ADMIN@studio.test")
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.pk}
    assert all("via" not in data for _, data in stored())
    # A re-import that moves a frame range: the history names the operator.
    sheet = (SHEETS / "shots.csv").read_text().replace("1120,1200", "1120,1230")
    changed = tmp_path / "shots.csv"
    changed.write_text(sheet)
    run("import_csv", "shots", str(changed), "--as", "admin@studio.test")
    shot = Shot.objects.get(parent__name="SQ020")
    history = api_client.get(f"/api/data/shots/{shot.pk}/history").json()
    frame_out = next(entry for entry in history if entry["field"] == "data.frame_out")
    assert (frame_out["old"], frame_out["new"]) == (1200, 1230)
    assert frame_out["person_id"] == str(admin_person.pk) and frame_out["person_name"] == "Ada Admin"


def test_the_operator_comes_from_the_environment(db, admin_person, monkeypatch):
    monkeypatch.setenv("ZOU_OPERATOR", "admin@studio.test")
    import_shots()
    assert set(ApiEvent.objects.values_list("person_id", flat=True)) == {admin_person.pk}


def test_an_unknown_or_inactive_operator_stops_before_writing(db, admin_person):
    with pytest.raises(CommandError, match="--as nobody@studio.test: no active person"):
        run("import_csv", "projects", str(SHEETS / "projects.csv"), "--as", "nobody@studio.test")
    Person.objects.filter(pk=admin_person.pk).update(active=False)
    with pytest.raises(CommandError, match="no active person"):
        run("import_csv", "projects", str(SHEETS / "projects.csv"), "--as", "admin@studio.test")
    assert not Project.objects.exists() and not ApiEvent.objects.exists()


def test_create_admin_records_the_new_admin(db):
    run("create_admin", "--email", "boss@studio.test", "--password", "a-long-Passw0rd-for-tests")
    boss = Person.objects.get(email="boss@studio.test")
    ((name, data),) = stored(name="person:new")
    assert data["person_id"] == str(boss.pk)
    assert data["via"].startswith("manage.py create_admin (os user: ")


def test_seed_demo_records_each_row_it_creates_once(db):
    run("seed_demo")
    tasks = Task.objects.count()
    assert tasks > 0
    assert len(stored(name="task:new")) == tasks
    assert len(stored(name="shot:new")) == Shot.objects.count()
    assert len(stored(name="project:new")) == 1
    assert {name.split(":")[1] for name, _ in stored()} == {"new"}
    assert all(data["via"].startswith("manage.py seed_demo") for _, data in stored())
    shot_event = stored(name="shot:new")[0][1]
    assert shot_event["project_id"] == str(Project.objects.get().pk)
    count = ApiEvent.objects.count()
    run("seed_demo")
    assert ApiEvent.objects.count() == count  # nothing made, nothing recorded


def test_create_admin_on_an_existing_person_records_the_promotion(db):
    artist = Person.objects.create_user("artist@studio.test", role=Person.Role.USER)
    run("create_admin", "--email", "artist@studio.test", "--password", "a-long-Passw0rd-for-tests")
    ((name, data),) = stored()
    assert name == "person:update" and data["person_id"] == str(artist.pk)
    assert data["changes"]["role"] == {"old": "user", "new": "admin"}
