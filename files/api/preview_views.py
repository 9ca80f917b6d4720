"""Previews as gazu publishes them (issue 15): a preview file added to a
comment, its picture or movie uploaded, made the entity's main preview,
removed; the stored original served back. Thin: find the rows the caller
sees (404), check what they may change (403), call files.previews."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from files import previews, querysets
from files.api.file_serializers import (
    ERRORS,
    AddPreviewRequestSerializer,
    MessageSerializer,
    SetMainPreviewRequestSerializer,
    ThumbnailUploadSerializer,
)
from files.api.path_views import validated_data
from files.api.serializers import PreviewFileSerializer
from files.movies import CONTENT_TYPES
from production import permissions
from production.api.serializers import EntitySerializer
from production.models import Comment
from production.querysets import visible_tasks
from zou_site.api.params import visible_or_404
from zou_site.parsers import ZouFormParser, ZouMultiPartParser


def _task_and_comment(request, task_id, comment_id):
    task = visible_or_404(visible_tasks(request.user).select_related("entity", "task_type"), task_id, "Task")
    comment = visible_or_404(Comment.objects.filter(object_id=task.pk), comment_id, "Comment")
    return task, comment


def _preview_file(request, preview_file_id, **narrowing):
    queryset = querysets.visible_preview_files(request.user).filter(**narrowing).select_related("task")
    return visible_or_404(queryset, preview_file_id, "Preview file")


def _created(preview_file):
    return Response(PreviewFileSerializer(preview_file).data, status=status.HTTP_201_CREATED)


class AddPreviewView(APIView):
    """`POST actions/tasks/<id>/comments/<id>/add-preview {revision?}`: a preview
    file on the comment, to upload next (`POST pictures/preview-files/<id>`)."""

    @extend_schema(request=AddPreviewRequestSerializer, responses={201: PreviewFileSerializer, **ERRORS})
    def post(self, request, task_id, comment_id):
        task, comment = _task_and_comment(request, task_id, comment_id)
        permissions.require_edit_contribution(request.user, task, comment.person_id)
        data = validated_data(AddPreviewRequestSerializer, request.data)
        return _created(
            previews.preview_file_add(task=task, comment=comment, person=request.user, revision=data.get("revision"))
        )


class CommentPreviewView(APIView):
    """`POST actions/tasks/<id>/comments/<id>/preview-files/<id>`: one more
    preview of the same revision (gazu's create_extra_preview); `DELETE`:
    the preview and its stored files."""

    @extend_schema(request=None, responses={201: PreviewFileSerializer, **ERRORS})
    def post(self, request, task_id, comment_id, preview_file_id):
        task, comment = _task_and_comment(request, task_id, comment_id)
        same_revision = _preview_file(request, preview_file_id, task=task)
        permissions.require_edit_contribution(request.user, task, comment.person_id)
        return _created(
            previews.preview_file_add(task=task, comment=comment, person=request.user, revision=same_revision.revision)
        )

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request, task_id, comment_id, preview_file_id):
        task, comment = _task_and_comment(request, task_id, comment_id)
        preview_file = _preview_file(request, preview_file_id, comment=comment)
        permissions.require_edit_contribution(request.user, task, comment.person_id)
        previews.preview_file_delete(preview_file=preview_file)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreviewUploadView(APIView):
    """`POST pictures/preview-files/<id>` (multipart field `file`): a picture
    becomes the preview (stored as PNG) and its thumbnail; a .mp4, .m4v or
    .mov movie is checked (files.movies) and stored as uploaded. gazu's
    `normalize` and `no_job` query keys change nothing: the work is done
    in the request and movies are never transcoded."""

    parser_classes = [ZouMultiPartParser, ZouFormParser]

    @extend_schema(
        request={"multipart/form-data": ThumbnailUploadSerializer},
        responses={201: PreviewFileSerializer, 413: MessageSerializer, **ERRORS},
    )
    def post(self, request, preview_file_id):
        preview_file = _preview_file(request, preview_file_id)
        permissions.require_edit_contribution(request.user, preview_file.task, preview_file.person_id)
        upload = validated_data(ThumbnailUploadSerializer, request.data)["file"]
        return _created(previews.preview_file_upload(preview_file=preview_file, upload=upload))


class SetMainPreviewView(APIView):
    """`PUT actions/preview-files/<id>/set-main-preview`: the preview becomes
    its entity's main one; answers the entity."""

    @extend_schema(request=SetMainPreviewRequestSerializer, responses={200: EntitySerializer, **ERRORS})
    def put(self, request, preview_file_id):
        preview_file = _preview_file(request, preview_file_id)
        permissions.require_act_on_task(request.user, preview_file.task)
        validated_data(SetMainPreviewRequestSerializer, request.data)
        entity = previews.entity_set_main_preview(preview_file=preview_file)
        return Response(EntitySerializer(entity).data)


class PreviewOriginalView(APIView):
    """`GET pictures/originals/preview-files/<id>.<extension>` and
    `movies/originals/...`: the stored original, as gazu's
    get_preview_file_url and download_preview_file address it."""

    @extend_schema(
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The picture, or the movie as uploaded.")
                for content_type in ("image/png", *CONTENT_TYPES.values())
            },
            404: MessageSerializer,
        }
    )
    def get(self, request, preview_file_id, extension):
        preview_file = _preview_file(request, preview_file_id)
        name = previews.stored_original(preview_file, extension.lower())
        if name is None:
            raise NotFound(f"Preview file {preview_file.pk} has no stored .{extension} original.")
        content_type = CONTENT_TYPES.get(preview_file.extension, "image/png")
        return FileResponse(default_storage.open(name, "rb"), content_type=content_type)
