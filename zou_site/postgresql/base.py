"""Django's PostgreSQL backend, its connection health check (CONN_HEALTH_CHECKS)
without a round trip when nothing happened to the connection.

Django checks a kept connection before each request's first query with a
`SELECT 1`: a third round trip for a request that needs two (issue 16). A
server that ends a connection (a restart, pg_terminate_backend, an idle
timeout) writes its reason on the socket and closes it, so an idle
connection whose socket has nothing to read is as it was left; only one
with something to read (that reason, or a notification) is probed with
Django's `SELECT 1`. What no socket can tell (a peer gone silent) a
`SELECT 1` would have waited on as long as the request's first query does."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
