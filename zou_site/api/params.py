"""Values read from the URL and the query string."""

import uuid

from rest_framework import exceptions

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


def visible_or_404(queryset, pk, label=None):
    """The row with this id among those `queryset` lets the person see: an
    unseen row, a missing one and a malformed id are all simply not found
    (`label` names the kind of row in the message)."""
    try:
        row = queryset.filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        row = None
    if row is None:
        raise exceptions.NotFound(f"{label} {pk} not found." if label else "Not found.")
    return row


def query_flag(request, name):
    value = request.query_params.get(name)
    return False if value in (None, "") else parse_bool(value, name)


def query_flag_or_none(request, name):
    """True or False when the flag is given, None when it is not."""
    value = request.query_params.get(name)
    return None if value in (None, "") else parse_bool(value, name)


def uuid_or_404(value):
    """An id from a URL: a malformed one is simply not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise exceptions.NotFound("Not found.")
