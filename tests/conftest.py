"""Shared fixtures: real rows in a real database, real HTTP through DRF's
client, gazu against a live server; and the one rule for PostgreSQL-only tests."""

import gazu
import pytest
from django.db import connection

from tests.factories import PASSWORD, make_person, make_production
from tests.helpers import ApiTestClient, client_for


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite lets one writer in at a time and has no row locks, so these races and "
            "limits do not exist there (run with DATABASE_URL=postgres://...)"
        )


@pytest.fixture
def admin_person(db):
    return make_person("admin", email="admin@studio.test", first_name="Ada", last_name="Admin")


@pytest.fixture
def api_client(admin_person):
    """An APIClient authenticated as an admin person."""
    return client_for(admin_person)


@pytest.fixture
def anon_client():
    return ApiTestClient()


@pytest.fixture
def production(db):
    return make_production()


@pytest.fixture
def media_root(settings, tmp_path):
    """A throwaway MEDIA_ROOT, so thumbnails land in a tmp folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gazu_as(live_server):
    """Log gazu 1.3.1 in to the live server, over HTTP with a password, as a
    new person: `gazu_as("manager", email=...)` answers the person."""

    def log_in(role="admin", **fields):
        person = make_person(role, **fields)
        gazu.set_host(f"{live_server.url}/api")
        gazu.log_in(person.email, PASSWORD)
        return person

    yield log_in
    gazu.client.default_client.tokens = {"access_token": None, "refresh_token": None}
    # A kept-alive connection would hold a server thread, and with it a
    # database connection, past the test: PostgreSQL could not drop the test database.
    gazu.client.default_client.session.close()
