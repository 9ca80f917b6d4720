"""Thumbnails in the Django admin. `thumbnail_html(kind, obj)` is meant for
every admin page with a thumbnail (persons, projects, shots and assets too)."""

import base64

from django.core.files.storage import default_storage
from django.utils.html import format_html

from files.thumbnail_storage import thumbnail_name

# Preview thumbnails are 1200 wide; a change page shows them smaller.
MAX_DISPLAY_WIDTH = 600


def thumbnail_html(kind, obj):
    """The row's thumbnail as an <img>, inlined as a data URI: the admin's
    session cannot call the API's bearer-token picture route, and the
    storage's own URL is not necessarily served."""
    name = thumbnail_name(kind, obj.pk)
    if obj.pk is None or not default_storage.exists(name):
        return "No thumbnail"
    with default_storage.open(name, "rb") as picture:
        data = base64.b64encode(picture.read()).decode("ascii")
    return format_html(
        '<img src="data:image/png;base64,{}" alt="{} thumbnail" style="max-width: {}px">',
        data,
        kind,
        MAX_DISPLAY_WIDTH,
    )
