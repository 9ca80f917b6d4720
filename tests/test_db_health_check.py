"""A kept connection's health check (zou_site.postgresql) costs no round
trip while the connection is as it was left, and still replaces one the
server ended."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's check")


def last_query_of(pid):
    with connection.cursor() as cursor:
        cursor.execute("select query from pg_stat_activity where pid = %s", [pid])
        row = cursor.fetchone()
    return row and row[0]


@pytest.fixture
def kept():
    """A second connection to the test database, as a worker keeps one."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_a_healthy_connection_is_checked_without_a_query(db, kept):
    assert type(kept).__module__ == "zou_site.postgresql.base"
    with kept.cursor() as cursor:
        cursor.execute("select 'the last query'")
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert kept.health_check_enabled
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is not None and kept.health_check_done
    assert last_query_of(pid) == "select pg_backend_pid()"


def test_a_connection_the_server_ended_is_replaced(db, kept):
    with kept.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("select pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while last_query_of(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not kept.is_usable()
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    with kept.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
