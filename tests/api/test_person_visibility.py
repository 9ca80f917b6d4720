"""Who reads whom (issue 13, finding 11): managers and admins read every
person; the others read themselves and the teams of their projects, with the
same rule on the REST list, one person, the persons CSV export and avatars."""

import pytest

from production.models import Project, ProjectStatus
from tests.factories import make_person
from tests.helpers import assert_json_message, body_of, client_for


@pytest.fixture
def studio(db):
    status = ProjectStatus.objects.get(name="Open")
    a = Project.objects.create(name="Team A", project_status=status)
    b = Project.objects.create(name="Team B", project_status=status)
    people = {
        "user_a": make_person("user", email="user.a@studio.test", phone="+33 1 00"),
        "client_a": make_person("client", email="client.a@studio.test"),
        "mate_a": make_person("supervisor", email="mate.a@studio.test", phone="+33 1 01"),
        "user_b": make_person("user", email="user.b@studio.test", phone="+33 1 02"),
        "loner": make_person("user", email="loner@studio.test"),
        "manager": make_person("manager", email="manager@studio.test"),
    }
    a.team.add(people["user_a"], people["client_a"], people["mate_a"])
    b.team.add(people["user_b"], people["mate_a"])
    return people


def emails(response):
    assert response.status_code == 200, response.content
    return sorted(row["email"] for row in response.json())


@pytest.mark.parametrize("who", ["user_a", "client_a"])
def test_a_team_member_lists_themselves_and_their_teams_only(studio, who):
    client = client_for(studio[who])
    assert emails(client.get("/api/data/persons")) == ["client.a@studio.test", "mate.a@studio.test", "user.a@studio.test"]
    assert emails(client.get("/api/data/persons", {"role": "user"})) == ["user.a@studio.test"]
    mate = client.get(f"/api/data/persons/{studio['mate_a'].pk}").json()
    assert mate["email"] == "mate.a@studio.test" and mate["phone"] == "+33 1 01"
    for hidden in ("user_b", "loner", "manager"):
        assert_json_message(client.get(f"/api/data/persons/{studio[hidden].pk}"), 404)
        assert_json_message(client.get(f"/api/pictures/thumbnails/persons/{studio[hidden].pk}.png"), 404)


def test_a_member_of_two_teams_reads_both_once(studio):
    assert emails(client_for(studio["mate_a"]).get("/api/data/persons")) == [
        "client.a@studio.test",
        "mate.a@studio.test",
        "user.a@studio.test",
        "user.b@studio.test",
    ]


def test_a_person_on_no_team_reads_only_themselves(studio):
    assert emails(client_for(studio["loner"]).get("/api/data/persons")) == ["loner@studio.test"]


def test_managers_read_everyone(studio):
    assert len(emails(client_for(studio["manager"]).get("/api/data/persons"))) == len(studio)


def test_the_csv_export_follows_the_same_rule(studio):
    lines = body_of(client_for(studio["user_b"]).get("/api/export/csv/persons.csv")).decode().splitlines()
    assert sorted(line.split(",")[2] for line in lines[1:]) == ["mate.a@studio.test", "user.b@studio.test"]
