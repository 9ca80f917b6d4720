"""Thumbnails in the Django admin: `thumbnail_html(kind, obj)` for this app's
pages, and the thumbnail section this app offers production's person, project,
shot and asset pages (composed by zou_site.admin: production must not depend
on files)."""

import base64

from django.contrib import admin
from django.core.files.storage import default_storage
from django.utils.html import format_html

from files.thumbnail_storage import thumbnail_name
from production.models import Asset, Person, Project, Shot

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


# Production's pages with a thumbnail, and the thumbnail folder of each.
THUMBNAILED = ((Person, "persons"), (Project, "projects"), (Shot, "shots"), (Asset, "assets"))


class ThumbnailAdminMixin:
    """The row's thumbnail, read-only, in its own section of the change page."""

    thumbnail_kind = None

    @admin.display(description="Thumbnail")
    def thumbnail(self, obj):
        return thumbnail_html(self.thumbnail_kind, obj)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "thumbnail")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.fieldsets:
            return fieldsets  # built from the fields, read-only ones included
        return (*fieldsets, ("Thumbnail", {"fields": ("thumbnail",)}))


def thumbnail_admin_mixins():
    """{model: the mixin adding its thumbnail section}."""
    return {
        model: type(f"{model.__name__}ThumbnailAdmin", (ThumbnailAdminMixin,), {"thumbnail_kind": kind})
        for model, kind in THUMBNAILED
    }
