"""Routes in both URL dialects: the seed's spelling is canonical, Zou's later
one (which gazu uses) is registered as an alias of the same view."""

import re

from django.urls import re_path
from rest_framework.routers import SimpleRouter

# Path prefixes registered only as aliases; the schema marks their operations.
ALIAS_PREFIXES = []


class ZouRouter(SimpleRouter):
    """No trailing slash needed, one tolerated, never a redirect."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"

    def register_with_aliases(self, prefix, viewset, basename, aliases=()):
        self.register(prefix, viewset, basename=basename)
        for alias in aliases:
            self.register(alias, viewset, basename=f"{basename}-alias-{alias.replace('/', '-')}")
            ALIAS_PREFIXES.append(alias)


def route(pattern, view, name, aliases=()):
    """A plain route (regex without the trailing slash) and its aliases."""
    patterns = [re_path(rf"^{pattern}/?$", view, name=name)]
    for i, alias in enumerate(aliases):
        patterns.append(re_path(rf"^{alias}/?$", view, name=f"{name}-alias-{i}"))
        ALIAS_PREFIXES.append(alias)
    return patterns


def declare_aliases(*paths):
    """Alias spellings served by viewset actions (e.g. `data/shots/{id}/task-types`)."""
    ALIAS_PREFIXES.extend(paths)


def _schema_form(pattern):
    """`actions/tasks/(?P<task_id>[^/]+)/start` → `/api/actions/tasks/{task_id}/start`."""
    return "/api/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).strip("/")


def is_alias_path(path):
    """Whether a schema path (`/api/data/task-status/{id}/`) is an alias route."""
    path = path.rstrip("/")
    for alias in ALIAS_PREFIXES:
        prefix = _schema_form(alias)
        if path == prefix or path.startswith(prefix + "/"):
            return True
    return False
