"""Fixtures of the reliability suite (issue #9): an admin and its client and
token, and LiveApi clients against a live server."""

import pytest

from tests.factories import make_person
from tests.helpers import LiveApi, client_for, wait_for_server_connections_to_close
from production.auth.tokens import issue_tokens


@pytest.fixture
def admin(db):
    return make_person("admin", email="rel-admin@studio.test", first_name="Rel", last_name="Admin")


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


@pytest.fixture
def admin_token(admin):
    return issue_tokens(admin)[0]


@pytest.fixture
def live_api_factory(live_server, admin_token):
    """Make LiveApi clients (one per thread), closed at the end of the test."""
    made = []

    def make(token=admin_token):
        api = LiveApi(live_server.url, token)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()
    wait_for_server_connections_to_close()
