"""Routes in both URL dialects, declared in one place: the router. The seed's
spelling is canonical; each of Zou's later spellings (which gazu uses) is
registered beside it under the same view with a name ending in `-alias`, and
the schema finds aliases by that name.

Every id in a path is matched as a UUID, so a malformed id matches no route
(a JSON 404, DESIGN §4.4) and no fixed word (`data/tasks/from-path`) can be
taken for an id: the order in which apps include their URLs does not matter."""

import copy
import functools
import re

from django.urls import URLPattern, URLResolver, get_resolver, re_path
from django.urls.resolvers import RoutePattern
from django.utils.functional import cached_property
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


def _literal_prefix(entry):
    """The text every path an entry matches starts with: the regex's leading
    literal characters ("" when unknown: a case-insensitive regex, one that
    starts with a group or an alternation)."""
    try:
        parsed = re._parser.parse(entry.pattern.regex.pattern)
    except (AttributeError, re.error):
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    prefix = []
    for op, value in parsed:
        if op is re._constants.AT and value is re._constants.AT_BEGINNING and not prefix:
            continue
        if op is not re._constants.LITERAL:
            break
        prefix.append(chr(value))
    return "".join(prefix)


class IndexedURLResolver(URLResolver):
    """An include() that tries only the patterns a path can match: those whose
    leading literal text (`data/shots/`) agrees with the path's first two
    segments, in their declared order, so the first match is the one the
    full scan finds. Django's scan tried 160 of the API's 300 patterns for a
    shot (0.2–0.3 ms of a 2 ms request). The candidates are kept per key
    (at most MAX_KEYS of them; past it, keys are looked up uncached)."""

    MAX_KEYS = 2000

    @cached_property
    def _prefixes(self):
        return [(_literal_prefix(entry), entry) for entry in self.url_patterns]

    @cached_property
    def _by_key(self):
        return {}

    def _narrowed(self, key):
        """A copy of this resolver holding only the candidates for `key`."""
        narrowed = self._by_key.get(key)
        if narrowed is None:
            narrowed = copy.copy(self)
            # Prefixes longer than the key are kept when they extend it: the
            # rest of the path decides (the regex does).
            narrowed.__dict__["url_patterns"] = [
                entry for prefix, entry in self._prefixes if key.startswith(prefix) or prefix.startswith(key)
            ]
            if len(self._by_key) < self.MAX_KEYS:
                self._by_key[key] = narrowed
        return narrowed

    def resolve(self, path):
        path = str(path)
        match = self.pattern.match(path)
        if not match:
            return super().resolve(path)
        rest = match[0]
        cut = rest.find("/", rest.find("/") + 1)
        key = rest if cut < 0 else rest[: cut + 1]
        return URLResolver.resolve(self._narrowed(key), path)


def indexed_include(route, module):
    """path(route, include(module)) resolved by IndexedURLResolver."""
    return IndexedURLResolver(RoutePattern(route, is_endpoint=False), module)
