"""Thumbnails in storage (DESIGN §7): one PNG per row, named by the row's
kind and id; the picture itself is made by files.thumbnails."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from files.thumbnails import ThumbnailError, make_thumbnail
from production import events
from zou_site.api.errors import ApiError

def thumbnail_name(kind, object_id):
    return f"thumbnails/{kind}/{object_id}.png"


def max_pixels(kind):
    """Persons' pictures are capped lower: every role may upload its own."""
    if kind == "persons":
        return min(settings.AVATAR_MAX_PIXELS, settings.THUMBNAIL_MAX_PIXELS)
    return settings.THUMBNAIL_MAX_PIXELS


def check_upload_size(upload):
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ApiError(
            f"file: {upload.size} bytes is over the upload limit of {settings.MAX_UPLOAD_SIZE} bytes.",
            status_code=413,
        )


def file_error(error):
    """A refused upload: 400 naming the `file` field."""
    return ApiError(f"file: {error}", errors={"file": [str(error)]})


def stored_replace(name, content):
    """Replace rather than let the storage pick a suffixed name: the name is the file's address."""
    default_storage.delete(name)
    default_storage.save(name, content if hasattr(content, "read") else ContentFile(content))
    return name


def thumbnail_save(*, kind, upload, owner=None, object_id=None):
    """Store the thumbnail of a row (`owner`, or its id alone); nothing is
    stored unless the whole upload was read and converted. Given the row,
    Zou's `<type>:set-thumbnail` event is stored."""
    check_upload_size(upload)
    try:
        png = make_thumbnail(upload, kind, max_pixels=max_pixels(kind))
    except ThumbnailError as error:
        raise file_error(error)
    name = stored_replace(thumbnail_name(kind, owner.pk if owner is not None else object_id), png)
    if owner is not None:
        events.store([events.row_event(owner, "set-thumbnail")])
    return name


def thumbnail_delete(*, kind, object_id):
    """Remove a row's thumbnail (an avatar cleared); none is not an error."""
    default_storage.delete(thumbnail_name(kind, object_id))
