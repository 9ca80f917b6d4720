"""The API's URL index (zou_site.api.routers.IndexedURLResolver) resolves
every path as Django's full scan of the patterns does: the same view, the
same arguments, the same 404s."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from zou_site.api.routers import IndexedURLResolver

SAMPLE_UUID = str(uuid.UUID(int=0x1234))


def api_resolvers():
    resolvers = [r for r in get_resolver().url_patterns if isinstance(r, IndexedURLResolver)]
    assert len(resolvers) == 3
    return resolvers


def sample_path(regex):
    """A path the regex matches: each group given a value of its kind."""
    text = regex.lstrip("^").removesuffix("$").replace("/?", "").replace("\\.", ".")
    text = re.sub(r"\(\?P<\w+>\[0-9a-fA-F\]\{8\}[^)]*\)", SAMPLE_UUID, text)
    text = re.sub(r"\(\?P<\w+>\[0-9\]\+\)", "7", text)
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "x-1", text)
    return text


def outcome(resolve, path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.func, match.args, match.kwargs, match.url_name, match.route


def paths():
    seen = []
    for resolver in api_resolvers():
        for entry in resolver.url_patterns:
            assert isinstance(entry, URLPattern), "the index expects flat patterns"
            path = "api/" + sample_path(entry.pattern.regex.pattern)
            seen += [path, path + "/", path + "/extra", path.rstrip("/") + "x", path.upper()]
    return seen + ["api/", "api/data", "api/data/", "api/nothing", "api/data/shots/not-a-uuid", "api/dataX/shots"]


def test_the_index_finds_what_the_full_scan_finds():
    checked = 0
    for path in paths():
        for resolver in api_resolvers():
            indexed = outcome(resolver.resolve, path)
            full = outcome(lambda p: URLResolver.resolve(resolver, p), path)
            assert indexed == full, path
            checked += indexed is not None
    assert checked > 250


@pytest.mark.parametrize(
    "regex, prefix",
    [
        (r"^data/shots/?$", "data/shots"),
        (r"^data/shots/(?P<pk>[^/.]+)/?$", "data/shots/"),
        (r"^(?P<unknown>.*)$", ""),
        (r"(?i)^data/shots$", ""),
        (r"^data/a|^other", ""),
        (r"^data/a|^data/b", "data/"),
        (r"^data/[st]hots$", "data/"),
    ],
)
def test_a_patterns_leading_text(regex, prefix):
    from django.urls import re_path

    from zou_site.api.routers import _literal_prefix

    assert _literal_prefix(re_path(regex, lambda request: None)) == prefix
