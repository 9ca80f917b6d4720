"""Thumbnails in the Django admin: `thumbnail_html(kind, obj)` for this app's
pages, and the thumbnail section this app offers production's person, project,
shot and asset pages (composed by zou_site.admin: production must not depend
on files)."""

import base64

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import re_path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from files.thumbnail_storage import thumbnail_name, thumbnail_save
from files.thumbnails import ThumbnailError, make_thumbnail
from production.models import SHOT, Asset, Person, Project, Shot, Task

# A transparent 1x1 PNG, answered for a row without a thumbnail: the list
# shows an empty grey box (its stylesheet's background), not a broken image,
# and needs not ask the storage row by row whether each picture exists.
EMPTY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def list_thumbnail_html(kind, object_id):
    """A list's small thumbnail: an <img> loading the row's stored PNG from the
    admin (the session reaches it; the API's picture route wants a token)."""
    url = reverse("admin:files_thumbnail", args=[kind, object_id])
    return format_html('<img src="{}" alt="" class="list-thumbnail" loading="lazy" width="60" height="40">', url)


@require_GET
def thumbnail_view(request, kind, object_id):
    name = thumbnail_name(kind, object_id)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as picture:
            content = picture.read()
    else:
        content = EMPTY_PNG
    response = HttpResponse(content, content_type="image/png")
    # Short-lived: an upload replaces the picture under the same address.
    response["Cache-Control"] = "private, max-age=60"
    return response


def thumbnail_urls(admin_site):
    """The admin's picture route, for signed-in staff only (admin_view)."""
    kinds = "|".join(kind for _, kind in THUMBNAILED)
    return [
        re_path(
            rf"^thumbnails/(?P<kind>{kinds})/(?P<object_id>[0-9a-f-]{{36}})\.png$",
            admin_site.admin_view(thumbnail_view),
            name="files_thumbnail",
        )
    ]

def thumbnail_html(kind, obj):
    """The row's thumbnail as an <img>, inlined as a data URI: the admin's
    session cannot call the API's bearer-token picture route, and the
    storage's own URL is not necessarily served."""
    name = thumbnail_name(kind, obj.pk)
    if obj.pk is None or not default_storage.exists(name):
        return "No thumbnail"
    with default_storage.open(name, "rb") as picture:
        data = base64.b64encode(picture.read()).decode("ascii")
    # Sized by a class of the admin's stylesheet: the pages' CSP refuses inline styles.
    return format_html('<img src="data:image/png;base64,{}" alt="{} thumbnail" class="page-thumbnail">', data, kind)


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

    @admin.display(description="")
    def list_thumbnail(self, obj):
        return list_thumbnail_html(self.thumbnail_kind, obj.pk)

    def get_list_display(self, request):
        # After the first column, which links to the row's page.
        first, *rest = super().get_list_display(request)
        return (first, "list_thumbnail", *rest)

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
            thumbnail_save(kind=self.thumbnail_kind, owner=obj, upload=upload)


class TaskThumbnailAdminMixin:
    """A task shows its shot's or asset's thumbnail, in the list and on its page.
    The list joins the entity and its type already (TaskAdmin)."""

    @staticmethod
    def _entity_kind(task):
        return "shots" if task.entity.entity_type.name == SHOT else "assets"

    @admin.display(description="")
    def list_thumbnail(self, task):
        return list_thumbnail_html(self._entity_kind(task), task.entity_id)

    @admin.display(description="Thumbnail")
    def thumbnail(self, task):
        return thumbnail_html(self._entity_kind(task), task.entity)

    def get_list_display(self, request):
        first, *rest = super().get_list_display(request)
        return (first, "list_thumbnail", *rest)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "thumbnail")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first, *rest = fieldsets
        return (first, ("Thumbnail of its entity", {"fields": ("thumbnail",)}), *rest)


def thumbnail_admin_mixins():
    """{model: the mixin adding its thumbnail section}."""
    mixins = {
        model: type(f"{model.__name__}ThumbnailAdmin", (ThumbnailAdminMixin,), {"thumbnail_kind": kind})
        for model, kind in THUMBNAILED
    }
    mixins[Task] = TaskThumbnailAdminMixin
    return mixins
