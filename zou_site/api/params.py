"""Values read from the URL and the query string."""

import uuid

from django.http import Http404

from zou_site.api.errors import ApiError

TRUE_STRINGS = {"true", "1", "yes", "on"}
FALSE_STRINGS = {"false", "0", "no", "off"}


def parse_bool(value, name="value"):
    """True/False as gazu sends them (Python's str()), and the usual spellings."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_STRINGS:
        return True
    if text in FALSE_STRINGS:
        return False
    raise ApiError(f"'{name}' must be true or false, not '{value}'.")


def uuid_or_404(value):
    """An id from a URL: a malformed one is simply not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404


def query_flag(request, name):
    value = request.query_params.get(name)
    return False if value in (None, "") else parse_bool(value, name)
