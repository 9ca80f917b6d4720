"""Thumbnails in the Django admin: `thumbnail_html(kind, obj)` for this app's
pages, and the thumbnail section this app offers production's person, project,
shot and asset pages (composed by zou_site.admin: production must not depend
on files)."""

import base64

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.utils.html import format_html

from files.thumbnail_storage import thumbnail_name, thumbnail_save
from files.thumbnails import ThumbnailError, make_thumbnail
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


def thumbnail_form(form_class, kind):
    """form_class with a field uploading the row's thumbnail, refused on the
    form (not after the row was saved) when it is no picture."""

    def clean_thumbnail_upload(form):
        upload = form.cleaned_data.get("thumbnail_upload")
        if upload is None:
            return None
        try:
            make_thumbnail(upload, kind, max_pixels=settings.THUMBNAIL_MAX_PIXELS)
        except ThumbnailError as error:
            raise forms.ValidationError(str(error))
        upload.seek(0)
        return upload

    upload = forms.FileField(
        required=False,
        label="Upload a thumbnail",
        help_text="A picture (PNG, JPEG…), stored as a PNG in place of the current one.",
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    return type(form_class.__name__, (form_class,), {"thumbnail_upload": upload, "clean_thumbnail_upload": clean_thumbnail_upload})


class ThumbnailAdminMixin:
    """The row's thumbnail in its own section of the change page, with a field
    to upload a new one, stored by the API's thumbnail service (a PNG per row)."""

    thumbnail_kind = None

    @admin.display(description="Thumbnail")
    def thumbnail(self, obj):
        return thumbnail_html(self.thumbnail_kind, obj)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "thumbnail")

    def get_form(self, request, obj=None, **kwargs):
        # An added row gets its picture once it exists (and the person add form is Django's own).
        if obj is not None:
            kwargs["form"] = thumbnail_form(kwargs.get("form", self.form), self.thumbnail_kind)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.fieldsets or obj is None:
            return fieldsets  # built from the fields, read-only ones included
        # Right under the main fields: the picture is how a coordinator recognises the row.
        first, *rest = fieldsets
        return (first, ("Thumbnail", {"fields": ("thumbnail", "thumbnail_upload")}), *rest)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("thumbnail_upload")
        if upload is not None:
            thumbnail_save(kind=self.thumbnail_kind, object_id=obj.pk, upload=upload)


def thumbnail_admin_mixins():
    """{model: the mixin adding its thumbnail section}."""
    return {
        model: type(f"{model.__name__}ThumbnailAdmin", (ThumbnailAdminMixin,), {"thumbnail_kind": kind})
        for model, kind in THUMBNAILED
    }
