"""Shotgun import routes (DESIGN §8): thin views over imports.shotgun.services."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.api.job_serializers import JobSerializer
from imports.api.job_views import job_accepted
from imports.api.shotgun_serializers import (
    RECORDS_SCHEMA,
    DataImportErrorSerializer,
    ShotgunImportResultSerializer,
    ShotgunRemoveResultSerializer,
    ShotgunRemoveSerializer,
)
from imports.jobs.services import job_create, runs_as_job
from imports.models import DataImportError, Job
from production import permissions
from imports.shotgun.services import (
    ShotgunImportError,
    UnknownKind,
    importer_for,
    shotgun_error_create,
    shotgun_import,
    shotgun_import_check,
    shotgun_remove,
)
from imports.shotgun.streamed import StreamedRecords, spool, streamed_records
from zou_site.api.errors import ApiError
from zou_site.api.pagination import ZouPagination
from zou_site.api.params import parse_bool, query_flag, query_flag_or_none, visible_or_404
from zou_site.parsers import ZouJSONParser

ASYNC = OpenApiParameter(
    "async",
    OpenApiTypes.BOOL,
    description="true: run as a background job (202 with the job; poll `data/jobs/{id}`); false: in the request. "
    "Unset: a job past IMPORT_JOB_THRESHOLD records.",
)
DRY_RUN = OpenApiParameter(
    "dry_run", OpenApiTypes.BOOL, description="Validate and report what would be created and updated; write nothing."
)
TAGS = ["import"]


def _check_kind(kind):
    try:
        importer_for(kind)
    except UnknownKind as error:
        raise ApiError(str(error), status_code=status.HTTP_404_NOT_FOUND)


def _records_and_dry_run(request):
    """The body is the array of records, or {"records": [...], "dry_run": bool}
    for clients that cannot set a query parameter."""
    body = request.data
    dry_run = query_flag(request, "dry_run")
    if isinstance(body, dict) and "records" in body:
        dry_run = dry_run or parse_bool(body.get("dry_run", False), "dry_run")
        body = body["records"]
    if not isinstance(body, (list, StreamedRecords)):
        raise ApiError('The body must be a JSON array of Shotgun records (or {"records": [...], "dry_run": true}).')
    return body, dry_run


class ShotgunBaseView(APIView):
    permission_classes = [permissions.IsManagerOrAdmin]
    parser_classes = [ZouJSONParser]


class ShotgunRecordsParser(ZouJSONParser):
    """A body that is an array of records is spooled to a file and read one
    record at a time (StreamedRecords); any other body, or one the streaming
    pass cannot read, is parsed whole as before, which names what is wrong."""

    # The import names the record holding a NUL (shotgun_records_check); the
    # body-wide check could only say "body".
    refuses_unstorable_text = False

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return super().parse(stream, media_type, parser_context)
        file = spool(stream)
        records = streamed_records(file)
        if records is not None:
            return records
        file.seek(0)
        return super().parse(file, media_type, parser_context)


class ShotgunImportView(ShotgunBaseView):
    parser_classes = [ShotgunRecordsParser]

    @extend_schema(
        tags=TAGS,
        parameters=[DRY_RUN, ASYNC],
        request={"application/json": RECORDS_SCHEMA},
        responses={200: ShotgunImportResultSerializer, 202: JobSerializer},
        description="Upsert Shotgun records of one kind by Shotgun id; records that cannot be imported are "
        "listed in `errors` and kept as import errors.",
    )
    def post(self, request, kind):
        _check_kind(kind)
        records, dry_run = _records_and_dry_run(request)
        if runs_as_job(asked=query_flag_or_none(request, "async"), size=len(records)):
            try:
                shotgun_import_check(kind=kind, records=records, actor=request.user)
            except ShotgunImportError as error:
                raise ApiError(str(error))
            job = job_create(
                source=Job.Source.SHOTGUN, kind=kind, actor=request.user, payload=records.payload() if isinstance(records, StreamedRecords) else json.dumps(records).encode(),
                extension="json", total=len(records), dry_run=dry_run,
            )
            return job_accepted(job)
        try:
            result = shotgun_import(kind=kind, records=records, actor=request.user, dry_run=dry_run)
        except ShotgunImportError as error:
            raise ApiError(str(error))
        return Response(result.as_dict())


class ShotgunRemoveView(ShotgunBaseView):
    @extend_schema(tags=TAGS, request=ShotgunRemoveSerializer, responses={200: ShotgunRemoveResultSerializer})
    def post(self, request, kind):
        _check_kind(kind)
        if not isinstance(request.data, dict):
            raise ApiError('The body must be a JSON object {"id": <Shotgun id>}.')
        body = ShotgunRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            removed_id = shotgun_remove(kind=kind, shotgun_id=body.validated_data["id"], actor=request.user)
        except ShotgunImportError as error:
            raise ApiError(str(error))
        return Response({"success": True, "removed_instance_id": removed_id})


class ShotgunImportErrorsView(ShotgunBaseView):
    @extend_schema(tags=TAGS, responses={200: DataImportErrorSerializer(many=True)})
    def get(self, request):
        errors = DataImportError.objects.filter(source=DataImportError.Source.SHOTGUN).order_by("-created_at", "id")
        paginator = ZouPagination()
        page = paginator.paginate_queryset(errors, request, view=self)
        if page is not None:
            return paginator.get_paginated_response(DataImportErrorSerializer(page, many=True).data)
        return Response(DataImportErrorSerializer(errors, many=True).data)

    @extend_schema(
        tags=TAGS,
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={201: DataImportErrorSerializer},
        description="Keep an event a Shotgun sync could not apply; the body is stored as the event data.",
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise ApiError("The body must be a JSON object: the event that could not be imported.")
        error = shotgun_error_create(event_data=request.data)
        return Response(DataImportErrorSerializer(error).data, status=status.HTTP_201_CREATED)


class ShotgunImportErrorView(ShotgunBaseView):
    def get_error(self, error_id):
        return visible_or_404(DataImportError.objects.filter(source=DataImportError.Source.SHOTGUN), error_id, "Shotgun import error")

    @extend_schema(tags=TAGS, responses={200: DataImportErrorSerializer})
    def get(self, request, error_id):
        return Response(DataImportErrorSerializer(self.get_error(error_id)).data)

    @extend_schema(
        tags=TAGS, request=None, responses={200: DataImportErrorSerializer},
        description="The seed document's spelling of reading one error: the same answer as GET.",
    )
    def post(self, request, error_id):
        return self.get(request, error_id)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, error_id):
        self.get_error(error_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
