"""Previews (issue 15): a preview file published with a comment, its upload
(a picture or a movie), the entity's main preview, its removal. Keyword-only
`<entity>_<verb>` writes in a transaction; views call these and hold no rules.

Storage: the original at `previews/originals/<id>.<extension>` (a picture
re-encoded as PNG, a movie as uploaded), the picture's 1200-wide thumbnail
where every thumbnail lives (`thumbnails/preview-files/<id>.png`)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from files.models import PreviewFile
from files.movies import MOVIE_EXTENSIONS, MovieError, check_movie
from files.publishing import lock_task_revisions
from files.querysets import last_revision
from files.thumbnail_storage import (
    check_upload_size,
    file_error,
    max_pixels,
    stored_replace,
    thumbnail_name,
)
from files.thumbnails import ThumbnailError, full_size_png, make_thumbnail, open_image, resize_for, to_png
from production import events
from production.models import RESERVED_ENTITY_TYPES, SHOT, Comment, Entity

KIND = "preview-files"
PICTURE_EXTENSION = "png"


def original_name(preview_file_id, extension):
    return f"previews/originals/{preview_file_id}.{extension}"


def _name(task, revision):
    return f"{task.entity.name}_{task.task_type.name}_v{revision:03d}"


@transaction.atomic
def preview_file_add(*, task, comment, person, revision=None):
    """A preview file on a comment of the task: the revision given, else the
    task's next one. The comment's first preview is the one it shows."""
    lock_task_revisions(task)
    if not revision:
        revision = last_revision(PreviewFile.objects.filter(task=task)) + 1
    preview_file = PreviewFile(name=_name(task, revision), revision=revision, task=task, person=person, comment=comment)
    preview_file.full_clean()
    preview_file.save()
    Comment.objects.filter(pk=comment.pk, preview_file_id__isnull=True).update(preview_file_id=preview_file.pk)
    ids = {"task_id": task.pk, "comment_id": comment.pk}
    events.store([events.created(preview_file, data=ids, project_id=task.project_id)])
    return preview_file


def _stored_upload(preview_file, upload):
    """(extension, is_movie): the checked upload stored as the original, and a
    picture's thumbnail. A picture is stored re-encoded, never as sent."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension in MOVIE_EXTENSIONS:
        try:
            check_movie(upload, extension, upload.size)
        except MovieError as error:
            raise file_error(f"The file is not a .{extension} movie: {error}.")
        stored_replace(original_name(preview_file.pk, extension), upload)
        # A thumbnail of an earlier picture upload would show the wrong picture.
        default_storage.delete(thumbnail_name(KIND, preview_file.pk))
        return extension, True
    try:
        image = open_image(upload, max_pixels(KIND))
    except ThumbnailError as error:
        raise file_error(f"{error} Movies: {', '.join(MOVIE_EXTENSIONS)}.")
    stored_replace(original_name(preview_file.pk, PICTURE_EXTENSION), full_size_png(image))
    stored_replace(thumbnail_name(KIND, preview_file.pk), to_png(resize_for(image, KIND)))
    return PICTURE_EXTENSION, False


@transaction.atomic
def preview_file_upload(*, preview_file, upload):
    """The preview's picture or movie; a new upload replaces the earlier one."""
    check_upload_size(upload)
    earlier = preview_file.extension
    extension, is_movie = _stored_upload(preview_file, upload)
    if earlier and earlier != extension:
        default_storage.delete(original_name(preview_file.pk, earlier))
    preview_file.extension = extension
    preview_file.is_movie = is_movie
    preview_file.file_size = default_storage.size(original_name(preview_file.pk, extension))
    preview_file.save(update_fields=["extension", "is_movie", "file_size", "updated_at"])
    # Zou's event for a preview's file: what review tools and pipeline scripts wait for.
    added = {"task_id": preview_file.task_id, "comment_id": preview_file.comment_id, "extension": extension,
             "revision": preview_file.revision}
    events.store([events.row_event(preview_file, "add-file", data=added)])
    return preview_file


def stored_original(preview_file, extension):
    """The storage name of the preview's original if it has this extension and is stored."""
    if not preview_file.extension or extension != preview_file.extension:
        return None
    name = original_name(preview_file.pk, extension)
    return name if default_storage.exists(name) else None


def _entity_thumbnail_kind(entity):
    if entity.entity_type.name == SHOT:
        return "shots"
    return None if entity.entity_type.name in RESERVED_ENTITY_TYPES else "assets"


@transaction.atomic
def entity_set_main_preview(*, preview_file):
    """The preview becomes its entity's main preview; a picture also becomes
    the entity's thumbnail (a movie's frames cannot be read here)."""
    entity = Entity.objects.select_related("entity_type").get(pk=preview_file.task.entity_id)
    before = events.snapshot(entity)
    entity.preview_file_id = preview_file.pk
    entity.save(update_fields=["preview_file_id", "updated_at"])
    kind_id = events.id_key(events.type_name(entity))
    set_main = events.event(
        "preview-file:set-main",
        data={"preview_file_id": preview_file.pk, "entity_id": entity.pk, kind_id: entity.pk},
        project_id=entity.project_id,
        object_id=preview_file.pk,
    )
    events.store([set_main, events.updated(entity, before)])
    kind = _entity_thumbnail_kind(entity)
    original = stored_original(preview_file, PICTURE_EXTENSION)
    if kind and original:
        with default_storage.open(original, "rb") as picture:
            try:
                png = make_thumbnail(picture, kind, max_pixels=settings.THUMBNAIL_MAX_PIXELS)
            except ThumbnailError as error:
                raise file_error(error)
        stored_replace(thumbnail_name(kind, entity.pk), png)
    return entity


@transaction.atomic
def preview_file_delete(*, preview_file):
    """The preview and its stored files; the comment shows its next preview,
    an entity whose main preview it was has none. The files go once the
    rows are gone for good."""
    next_preview = (
        PreviewFile.objects.filter(comment_id=preview_file.comment_id).exclude(pk=preview_file.pk)
        .order_by("created_at", "id").values_list("pk", flat=True).first()
        if preview_file.comment_id else None
    )
    Comment.objects.filter(preview_file_id=preview_file.pk).update(preview_file_id=next_preview)
    Entity.objects.filter(preview_file_id=preview_file.pk).update(preview_file_id=None, updated_at=timezone.now())
    names = [thumbnail_name(KIND, preview_file.pk)]
    if preview_file.extension:
        names.append(original_name(preview_file.pk, preview_file.extension))
    recorded = events.deleted(preview_file)
    preview_file.delete()
    events.store([recorded])
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
