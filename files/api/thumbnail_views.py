"""Thumbnails (DESIGN §7): `POST pictures/thumbnails/<kind>/<id>` (multipart
field `file`) stores a PNG made by files.thumbnails; `GET
pictures/thumbnails/<kind>/<id>.png` serves it."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from files import querysets, thumbnail_storage
from files.api.file_serializers import (
    ERRORS,
    MessageSerializer,
    ThumbnailSerializer,
    ThumbnailUploadSerializer,
)
from files.api.path_views import validated_data
from files.thumbnails import KINDS
from production import permissions
from production.models import Person
from zou_site.api.params import visible_or_404
from zou_site.parsers import ZouFormParser, ZouMultiPartParser


def _owner(request, kind, object_id):
    """The row the thumbnail belongs to, if the caller sees it."""
    if kind not in KINDS:
        raise NotFound(f"Unknown thumbnail kind '{kind}'. Kinds: {', '.join(KINDS)}.")
    return visible_or_404(querysets.thumbnail_owners(request.user, kind), object_id, kind.rstrip("s").capitalize())


def _check_can_replace(person, kind, owner):
    """Persons: themselves or an admin (persons are the admin's domain);
    files: who may work on their task; the production's pictures: managers."""
    if kind == "persons":
        allowed = owner.pk == person.pk or person.role == Person.Role.ADMIN
    elif kind in ("working-files", "preview-files") and owner.task_id is not None:
        allowed = permissions.may_act_on_task(person, owner.task)
    else:
        allowed = person.is_manager_or_admin
    if not allowed:
        raise PermissionDenied(f"You may not change the thumbnail of this {kind.rstrip('s')}.")


class ThumbnailUploadView(APIView):
    parser_classes = [ZouMultiPartParser, ZouFormParser]

    @extend_schema(
        request={"multipart/form-data": ThumbnailUploadSerializer},
        responses={201: ThumbnailSerializer, 413: MessageSerializer, **ERRORS},
    )
    def post(self, request, kind, object_id):
        owner = _owner(request, kind, object_id)
        _check_can_replace(request.user, kind, owner)
        upload = validated_data(ThumbnailUploadSerializer, request.data)["file"]
        thumbnail_storage.thumbnail_save(kind=kind, owner=owner, upload=upload)
        # The GET address is this one plus ".png", whatever prefix the API is mounted under.
        return Response({"thumbnail_path": f"{request.path.rstrip('/')}.png"}, status=status.HTTP_201_CREATED)


class ThumbnailView(APIView):
    @extend_schema(
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="The PNG thumbnail."),
            404: MessageSerializer,
        }
    )
    def get(self, request, kind, object_id):
        owner = _owner(request, kind, object_id)
        name = thumbnail_storage.thumbnail_name(kind, owner.pk)
        if not default_storage.exists(name):
            raise NotFound(f"This {kind.rstrip('s')} has no thumbnail.")
        return FileResponse(default_storage.open(name, "rb"), content_type="image/png")


class UserClearAvatarView(APIView):
    """`DELETE actions/user/clear-avatar`: the caller removes their own avatar."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        thumbnail_storage.thumbnail_delete(kind="persons", object_id=request.user.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonClearAvatarView(APIView):
    """`DELETE actions/persons/<id>/clear-avatar`: the person themselves or an admin."""

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request, person_id):
        person = _owner(request, "persons", person_id)
        _check_can_replace(request.user, "persons", person)
        thumbnail_storage.thumbnail_delete(kind="persons", object_id=person.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
