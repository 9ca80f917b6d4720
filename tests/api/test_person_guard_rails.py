"""Issue 17's guard rails on persons, through the API and the admin: an admin
cannot delete or deactivate themselves nor revoke their own tokens through the
bot route, and the last active admin cannot be removed, demoted or
deactivated by anyone. Every refusal changes nothing."""

from django.test import Client
from django.urls import reverse

from production.models import Person
from tests.factories import make_person
from tests.helpers import client_for


def state(person):
    return Person.objects.filter(pk=person.pk).values("active", "role", "tokens_valid_after", "updated_at").first()


def test_an_admin_cannot_delete_themselves(db):
    """Issue 17 defect: DELETE data/persons/<own id> answered 204."""
    admin, other = make_person("admin"), make_person("admin")
    before = state(admin)
    refused = client_for(admin).delete(f"/api/data/persons/{admin.id}")
    assert refused.status_code == 400 and refused.json()["message"] == "You cannot delete yourself."
    assert state(admin) == before
    assert client_for(admin).delete(f"/api/data/persons/{other.id}").status_code == 204


def test_an_admin_cannot_revoke_their_own_tokens_through_the_bot_route(db):
    """Issue 17 defect: DELETE data/persons/<own id>/token by an admin on themselves answered 204."""
    admin = make_person("admin")
    client = client_for(admin)
    before = state(admin)
    refused = client.delete(f"/api/data/persons/{admin.id}/token")
    assert refused.status_code == 400 and "not a bot" in refused.json()["message"]
    assert state(admin) == before
    assert client.get("/api/auth/authenticated").status_code == 200
    human = make_person("user")
    assert client.delete(f"/api/data/persons/{human.id}/token").status_code == 400
    assert state(human)["tokens_valid_after"] is None


def test_an_admin_cannot_deactivate_themselves(db):
    admin = make_person("admin")
    make_person("admin")
    before = state(admin)
    refused = client_for(admin).put(f"/api/data/persons/{admin.id}", {"active": False}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"] == {"active": ["You cannot deactivate yourself."]}
    assert state(admin) == before


def test_the_last_active_admin_cannot_be_demoted_or_deleted(db):
    admin = make_person("admin")
    make_person("admin", active=False)
    client = client_for(admin)
    before = state(admin)
    demoted = client.put(f"/api/data/persons/{admin.id}", {"role": "manager"}, format="json")
    assert demoted.status_code == 400 and "last active admin" in demoted.json()["message"]
    assert state(admin) == before
    second = make_person("admin")
    assert client.put(f"/api/data/persons/{admin.id}", {"role": "manager"}, format="json").status_code == 200
    # now the second admin is the last one: the first, demoted, cannot touch them
    assert client.put(f"/api/data/persons/{second.id}", {"active": False}, format="json").status_code == 403
    assert state(second)["active"] is True


def admin_browser(person):
    browser = Client()
    browser.force_login(person)
    return browser


def change_form(person, **changes):
    fields = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": "",
        "desktop_login": "",
        "role": person.role,
        "active": "on",
        "timezone": person.timezone,
        "locale": person.locale,
        "shotgun_id": "",
        "data": "",
        "last_presence": "",
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def test_in_the_admin_an_admin_cannot_deactivate_or_delete_themselves(db):
    admin = make_person("admin")
    make_person("admin")
    browser = admin_browser(admin)
    before = state(admin)
    response = browser.post(reverse("admin:production_person_change", args=(admin.pk,)), change_form(admin, active=None))
    assert response.status_code == 200
    assert "You cannot deactivate yourself." in str(response.context["adminform"].form.errors)
    assert browser.post(reverse("admin:production_person_delete", args=(admin.pk,)), {"post": "yes"}).status_code == 403
    assert state(admin) == before


def test_in_the_admin_the_last_active_admin_cannot_be_demoted_nor_deleted_in_bulk(db):
    admin = make_person("admin")
    browser = admin_browser(admin)
    before = state(admin)
    response = browser.post(reverse("admin:production_person_change", args=(admin.pk,)), change_form(admin, role="manager"))
    assert response.status_code == 200
    assert "last active admin" in str(response.context["adminform"].form.errors)
    other = make_person("user")
    bulk = browser.post(
        reverse("admin:production_person_changelist"),
        {"action": "delete_selected", "_selected_action": [str(admin.pk), str(other.pk)], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert state(admin) == before and Person.objects.filter(pk=other.pk).exists()
