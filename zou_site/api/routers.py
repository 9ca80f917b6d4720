"""Routes in both URL dialects, declared in one place: the router. The seed's
spelling is canonical; each of Zou's later spellings (which gazu uses) is
registered beside it under the same view with a name ending in `-alias`, and
the schema finds aliases by that name.

Every id in a path is matched as a UUID, so a malformed id matches no route
(a JSON 404, DESIGN §4.4) and no fixed word (`data/tasks/from-path`) can be
taken for an id: the order in which apps include their URLs does not matter."""

import functools
import re

from django.urls import URLPattern, URLResolver, get_resolver, re_path
from rest_framework.routers import SimpleRouter

UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
ALIAS_SUFFIX = "-alias"


def uuid_part(name):
    """A named path part that only a UUID matches."""
    return rf"(?P<{name}>{UUID})"


class ZouRouter(SimpleRouter):
    """No trailing slash needed, one tolerated, never a redirect. Viewsets,
    their actions and plain views are all registered here with their aliases."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
        self._action_aliases = {}
        self._plain = []

    def register(self, prefix, viewset, basename, aliases=(), action_aliases=None):
        """`aliases`: other spellings of the prefix; `action_aliases`: other
        spellings of an action's first path word (`asset_types` → `asset-types`)."""
        super().register(prefix, viewset, basename=basename)
        for alias in aliases:
            super().register(alias, viewset, basename=f"{basename}{ALIAS_SUFFIX}-{alias.replace('/', '-')}")
        if action_aliases:
            self._action_aliases[viewset] = dict(action_aliases)

    def get_routes(self, viewset):
        routes = super().get_routes(viewset)
        spellings = self._action_aliases.get(viewset, {})
        aliases = []
        for route in routes:
            for seed, zou in spellings.items():
                if f"/{seed}" in route.url:
                    aliases.append(route._replace(url=route.url.replace(f"/{seed}", f"/{zou}"), name=route.name + ALIAS_SUFFIX))
        return routes + aliases

    def route(self, pattern, view, name, aliases=()):
        """A plain view (regex without the trailing slash) and its aliases."""
        self._plain.append(re_path(rf"^{pattern}/?$", view, name=name))
        for i, alias in enumerate(aliases):
            self._plain.append(re_path(rf"^{alias}/?$", view, name=f"{name}{ALIAS_SUFFIX}-{i}"))

    def get_urls(self):
        return self._plain + super().get_urls()


def _schema_form(regex):
    """`^actions/tasks/(?P<task_id>…)/start/?$` → `actions/tasks/{}/start`: the
    shape of a path with every parameter's name left out (the schema writes
    a router's `pk` as `id`)."""
    text = regex.lstrip("^").removesuffix("$").removesuffix("/?").replace("\\.", ".")
    return re.sub(r"\(\?P<\w+>[^)]*\)", "{}", text).strip("/")


@functools.cache
def _alias_forms(urlconf=None):
    forms = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern).lstrip("^"))
            elif isinstance(entry, URLPattern) and entry.name and ALIAS_SUFFIX in entry.name:
                forms.add(_schema_form(prefix + str(entry.pattern).lstrip("^")))

    walk(get_resolver(urlconf).url_patterns, "")
    return frozenset(forms)


def is_alias_path(path):
    """Whether a schema path (`/api/data/task-status/{id}/`) is an alias route."""
    return re.sub(r"\{\w+\}", "{}", path.strip("/")) in _alias_forms()
