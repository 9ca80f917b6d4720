"""HTTPS on: a plain-HTTP API call is told to use https in a JSON 400 (never a
silent 301 to a port that speaks no TLS), browsers are redirected, and behind
a TLS-terminating proxy named by SECURE_PROXY_SSL_HEADER the forwarded
scheme is believed, and only then."""

import gazu
import pytest

from production.models import Project
from tests.factories import PASSWORD, make_person


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_plain_http_api_call_is_a_json_400_and_changes_nothing(https_only, api_client):
    response = api_client.post("/api/data/projects", {"name": "Harbour Lights"}, format="json")
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("This server takes API calls over HTTPS only: use https://testserver/api.")
    assert "HTTPS_ONLY=false" in message and "SECURE_PROXY_SSL_HEADER_NAME" in message
    assert not Project.objects.exists()
    # The health root still answers plain HTTP, for load balancers' probes.
    assert api_client.get("/api/").status_code == 200


def test_browsers_are_redirected_to_https(https_only, client):
    response = client.get("/admin/login/")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/admin/login/")


def test_behind_a_tls_proxy_the_forwarded_scheme_is_believed(https_only, api_client):
    response = api_client.post("/api/data/projects", {"name": "Harbour Lights"}, format="json", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 201 and response.json()["name"] == "Harbour Lights"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert api_client.get("/api/data/projects", HTTP_X_FORWARDED_PROTO="http").status_code == 400


def test_without_the_proxy_setting_a_forwarded_scheme_changes_nothing(https_only, api_client):
    https_only.SECURE_PROXY_SSL_HEADER = None
    response = api_client.post("/api/data/projects", {"name": "Harbour Lights"}, format="json", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 400 and "HTTPS only" in response.json()["message"]
    assert not Project.objects.exists()


@pytest.mark.live
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gazu_gets_the_message_then_logs_in_through_the_proxy(https_only, live_server):
    make_person("admin", email="td@lanternfish.studio")
    gazu.set_host(f"{live_server.url}/api")
    session = gazu.client.default_client.session
    try:
        with pytest.raises(gazu.exception.AuthFailedException, match="HTTPS only: use https://"):
            gazu.log_in("td@lanternfish.studio", PASSWORD)
        # What a TLS-terminating proxy adds to every request it forwards.
        session.headers["X-Forwarded-Proto"] = "https"
        gazu.log_in("td@lanternfish.studio", PASSWORD)
        assert gazu.client.get_current_user()["email"] == "td@lanternfish.studio"
    finally:
        session.headers.pop("X-Forwarded-Proto", None)
        gazu.client.default_client.tokens = {"access_token": None, "refresh_token": None}
        session.close()
