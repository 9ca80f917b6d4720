"""Sessions, their revocation and login protection (issue 13 findings 3, 4, 7;
issue 14's trusted proxies), through HTTP."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from production.models import FailedLogin, Person
from tests.factories import PASSWORD, make_person
from tests.helpers import ApiTestClient

NEW_PASSWORD = "An0ther-long-pass"


def login(email, password=PASSWORD, **headers):
    return ApiTestClient().post("/api/auth/login", {"email": email, "password": password}, format="json", **headers)


def bearer(token):
    client = ApiTestClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def session(email):
    body = login(email).json()
    return body["access_token"], body["refresh_token"]


def refreshes(refresh):
    return bearer(refresh).get("/api/auth/refresh-token")


def test_logout_ends_the_access_and_the_refresh_token_of_the_session(db):
    """Finding 3 / acceptance 4: after logout both tokens answer 401; another login of the same person lives on."""
    person = make_person("user")
    access, refresh = session(person.email)
    other_access, other_refresh = session(person.email)
    minted = refreshes(refresh).json()["access_token"]

    assert bearer(access).get("/api/auth/logout").json() == {"logout": True}

    assert bearer(access).get("/api/auth/authenticated").status_code == 401
    assert bearer(minted).get("/api/auth/authenticated").status_code == 401
    refused = refreshes(refresh)
    assert refused.status_code == 401 and "blacklisted" in refused.json()["message"]
    assert bearer(other_access).get("/api/auth/authenticated").json()["user"]["id"] == str(person.id)
    assert refreshes(other_refresh).status_code == 200


def test_logout_with_the_refresh_token_ends_the_session(db):
    """Finding 3: a client whose access token expired logs out with its refresh token."""
    person = make_person("user")
    access, refresh = session(person.email)
    assert bearer(refresh).get("/api/auth/logout").json() == {"logout": True}
    assert bearer(access).get("/api/auth/authenticated").status_code == 401
    assert refreshes(refresh).status_code == 401


def test_a_refresh_token_is_revoked_by_a_dedicated_call(db):
    """Finding 3: revoke one refresh token (another machine's) by its text."""
    person = make_person("user")
    access, _ = session(person.email)
    leaked_access, leaked_refresh = session(person.email)
    revoked = bearer(access).post("/api/auth/refresh-token/revoke", {"refresh_token": leaked_refresh}, format="json")
    assert revoked.json() == {"revoked": True}
    assert refreshes(leaked_refresh).status_code == 401
    assert bearer(leaked_access).get("/api/auth/authenticated").status_code == 401
    assert bearer(access).get("/api/auth/authenticated").status_code == 200


def test_refresh_token_revoke_refuses_other_persons_tokens_and_garbage(db):
    mallory = make_person("manager")
    victim = make_person("admin")
    access, _ = session(mallory.email)
    victim_access, victim_refresh = session(victim.email)
    for body, reason in (({"refresh_token": victim_refresh}, "not yours"), ({"refresh_token": "x.y.z"}, "Not a valid"), ({}, "required")):
        refused = bearer(access).post("/api/auth/refresh-token/revoke", body, format="json")
        assert refused.status_code == 400, refused.content
        assert refused.json()["message"].startswith("refresh_token:") and reason in refused.json()["message"]
    assert not BlacklistedToken.objects.exists()
    assert refreshes(victim_refresh).status_code == 200


def test_change_password_is_a_login_attempt_and_locks(db, settings):
    """Finding 7: a stolen access token cannot brute-force the current password."""
    settings.LOGIN_MAX_FAILURES = 3
    person = make_person("user")
    client = bearer(session(person.email)[0])
    change = {"password": NEW_PASSWORD, "password_2": NEW_PASSWORD}
    for guess in ("guess-1", "guess-2", "guess-3"):
        wrong = client.post("/api/auth/change-password", {"old_password": guess, **change}, format="json")
        assert wrong.status_code == 400 and wrong.json()["errors"] == {"old_password": ["Wrong password."]}
    locked = client.post("/api/auth/change-password", {"old_password": PASSWORD, **change}, format="json")
    assert locked.status_code == 429 and "Too many failed logins" in locked.json()["message"]
    assert int(locked["Retry-After"]) > 0
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and not person.check_password(NEW_PASSWORD)
    assert client.get("/api/auth/authenticated").status_code == 200


def test_a_bad_change_password_body_checks_no_password(db):
    person = make_person("user")
    client = bearer(session(person.email)[0])
    mismatch = client.post("/api/auth/change-password", {"old_password": "guess", "password": NEW_PASSWORD, "password_2": "other"}, format="json")
    assert mismatch.status_code == 400 and mismatch.json()["message"].startswith("password_2:")
    weak = client.post("/api/auth/change-password", {"old_password": PASSWORD, "password": "123"}, format="json")
    assert weak.status_code == 400 and weak.json()["message"].startswith("password:")
    assert not FailedLogin.objects.exists()
    assert Person.objects.get(pk=person.pk).check_password(PASSWORD)


def test_a_bad_login_body_is_a_400_naming_the_field_and_costs_no_attempt(db):
    refused = ApiTestClient().post("/api/auth/login", {"email": "not-an-email", "password": "x"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["login"] is False and refused.json()["message"].startswith("email:")
    missing = ApiTestClient().post("/api/auth/login", {"email": "a@studio.test"}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"] == {"password": ["This field is required."]}
    assert not FailedLogin.objects.exists()


PROXY = {"REMOTE_ADDR": "10.0.0.2"}


def from_client(address, spoofed=None):
    """What a proxy passes on: the client's address appended to whatever the client sent."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return {**PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def fail_five_times(headers):
    for n in range(5):
        assert login(f"nobody{n}@studio.test", "wrong", **headers).status_code == 400


def test_behind_a_trusted_proxy_one_client_s_failures_do_not_lock_out_another(db, settings):
    """Finding 4 / issue 14 acceptance 4: the lockout counts forwarded clients."""
    settings.LOGIN_MAX_FAILURES = 5
    settings.TRUSTED_PROXY_COUNT = 1
    person = make_person("user")
    # The attacker writes X-Forwarded-For itself, hoping to be counted as someone else each time.
    fail_five_times(from_client("198.51.100.7", spoofed="203.0.113.1"))
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert login(person.email, **from_client("198.51.100.8")).status_code == 200
    locked = login(person.email, **from_client("198.51.100.7", spoofed="203.0.113.99"))
    assert locked.status_code == 401 and "Too many failed logins" in locked.json()["message"]


def test_without_trusted_proxies_x_forwarded_for_changes_nothing(db, settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.TRUSTED_PROXY_COUNT = 0
    person = make_person("user")
    fail_five_times(from_client("198.51.100.7"))
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}
    locked = login(person.email, **from_client("198.51.100.8"))
    assert locked.status_code == 401 and "Too many failed logins" in locked.json()["message"]


def test_two_trusted_proxies_read_the_entry_the_outer_one_added(db, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    login("a@studio.test", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7, 10.0.0.1")
    assert FailedLogin.objects.get().ip_address == "198.51.100.7"
