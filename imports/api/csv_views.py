"""CSV import and export routes (DESIGN.md §9): thin views over imports.csv.services."""


from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.api.csv_serializers import (
    CsvImportErrorSerializer,
    CsvImportRequestSerializer,
    CsvImportResultSerializer,
)
from imports.api.job_serializers import JobSerializer
from imports.api.job_views import job_accepted
from imports.csv.resources import CSV_RESOURCES
from imports.csv.services import (
    UnknownKind,
    csv_export,
    csv_import,
    csv_resource_class,
    may_import,
)
from imports.csv.sheets import SheetError, sheet_row_count
from imports.jobs.services import job_create, runs_as_job
from imports.models import Job
from production import permissions, querysets
from production.api import serializers
from production.models import Asset, Shot, Task, TaskType
from production.querysets import visible_projects
from zou_site.api.errors import ApiError
from zou_site.api.params import query_flag, query_flag_or_none, visible_or_404
from zou_site.parsers import ZouFormParser, ZouMultiPartParser

KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(CSV_RESOURCES))
KINDS = ", ".join(CSV_RESOURCES)
ASYNC = OpenApiParameter(
    "async",
    OpenApiTypes.BOOL,
    description="true: run as a background job (202 with the job; poll `data/jobs/{id}`); false: in the request. "
    "Unset: a job past IMPORT_JOB_THRESHOLD rows.",
)
DRY_RUN = OpenApiParameter(
    "dry_run", OpenApiTypes.BOOL, description="Check the sheet and report what would be created and updated; write nothing."
)
PROJECT_ID = OpenApiParameter(
    "project_id", OpenApiTypes.UUID, description="Only the rows of this project (persons: its team; task types: those its tasks use)."
)
MESSAGE = OpenApiResponse(description='{"message": ...}')


def _check_kind(kind):
    try:
        csv_resource_class(kind)
    except UnknownKind as error:
        raise exceptions.NotFound(str(error))


def _project(project_id, person):
    """A project the person sees; 404 for any other id, malformed or not."""
    return visible_or_404(visible_projects(person), project_id, "Project")


def _not_imported(message):
    """A 400 in the shape of every import refusal: a message and the errors
    list, here one error that belongs to no line."""
    return ApiError(message, errors=[{"line": None, "column": None, "message": message}])


# What gazu's import_*_with_csv document as their answer: the imported rows.
IMPORTED_ROWS = {
    "persons": (lambda person: querysets.persons_for_api(person), serializers.PersonSerializer),
    "projects": (lambda person: querysets.projects_for_api(person), serializers.ProjectSerializer),
    "shots": (lambda person: querysets.entities_for_api(person, Shot.objects.all()), serializers.ShotSerializer),
    "assets": (lambda person: querysets.entities_for_api(person, Asset.objects.all()), serializers.AssetSerializer),
    "task_types": (lambda person: TaskType.objects.all(), serializers.TaskTypeSerializer),
    "tasks": (lambda person: querysets.tasks_for_api(person, Task.objects.all()), serializers.TaskSerializer),
}


def imported_rows(kind, ids, person):
    """Every row of the sheet (created, updated or unchanged) as its data
    type's row, in sheet order, once each."""
    rows_of, serializer_class = IMPORTED_ROWS[kind]
    found = {str(row.pk): row for row in rows_of(person).filter(pk__in=ids)}
    ordered = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    return serializer_class(ordered, many=True).data


class CsvImportView(APIView):
    permission_classes = [permissions.IsManagerOrAdmin]
    parser_classes = [ZouMultiPartParser, ZouFormParser]

    @extend_schema(
        parameters=[KIND, DRY_RUN, ASYNC],
        request={"multipart/form-data": CsvImportRequestSerializer},
        responses={
            200: CsvImportResultSerializer,
            202: JobSerializer,
            400: CsvImportErrorSerializer,
            403: MESSAGE,
            404: MESSAGE,
            413: MESSAGE,
        },
        description=f"Import a CSV sheet of one kind ({KINDS}) in one transaction: rows matching an existing row "
        "by natural key update it, the others are created. Any bad row means nothing is written and the 400 "
        "lists every bad cell by line (header = line 1) and column. Under `import/csv/projects/{project_id}/...` "
        "the rows belong to that project and the Project column may be left out, and the answer is what gazu's "
        "import_shots_with_csv and import_assets_with_csv document: the list of the sheet's rows, each as its data "
        "type's row (a dry run answers the report).",
    )
    def post(self, request, kind, project_id=None):
        _check_kind(kind)
        if not may_import(request.user, kind):
            raise exceptions.PermissionDenied(f"Your role does not allow importing {kind}.")
        project = _project(project_id, request.user) if project_id else None
        try:
            dry_run = query_flag(request, "dry_run")
        except ApiError as error:
            raise _not_imported(str(error.detail))
        try:
            data = request.data
        except exceptions.ParseError as error:
            raise _not_imported(str(error.detail))
        body = CsvImportRequestSerializer(data=data)
        if not body.is_valid():
            raise _not_imported(f"file: {body.errors['file'][0]}")
        upload = body.validated_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise ApiError(
                f"The file is larger than {settings.MAX_UPLOAD_SIZE} bytes: use manage.py import_csv for it.",
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            asked = query_flag_or_none(request, "async")
        except ApiError as error:
            raise _not_imported(str(error.detail))
        if asked is not False:
            payload = upload.read()
            # A sheet has no more rows than lines: most need no count at all.
            might_be_large = asked or payload.count(b"\n") > settings.IMPORT_JOB_THRESHOLD
            try:
                size = sheet_row_count(payload) if might_be_large else 0
            except SheetError as error:
                raise _not_imported(str(error))
            if runs_as_job(asked=asked, size=size):
                job = job_create(
                    source=Job.Source.CSV, kind=kind.replace("-", "_"), actor=request.user, payload=payload,
                    extension="csv", total=size, dry_run=dry_run, project=project, file_name=upload.name,
                )
                return job_accepted(job)
            upload.seek(0)
        try:
            report = csv_import(kind=kind, file=upload, actor=request.user, dry_run=dry_run, project=project, file_name=upload.name)
        except SheetError as error:
            raise _not_imported(str(error))
        if report.errors:
            raise ApiError(report.message, errors=report.errors)
        if project is not None and not dry_run:
            return Response(imported_rows(report.kind, report.ids, request.user))
        return Response(report.as_dict())


class CsvAnswerNegotiation(BaseContentNegotiation):
    """The answer is the CSV stream, or a JSON error, whatever Accept asks:
    a client asking for text/csv must not get a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CsvExportView(APIView):
    content_negotiation_class = CsvAnswerNegotiation

    @extend_schema(
        parameters=[KIND, PROJECT_ID],
        responses={(200, "text/csv"): OpenApiTypes.STR, 400: MESSAGE, 404: MESSAGE},
        description=f"Stream every row of one kind ({KINDS}) the caller may see as CSV, with the import's headers "
        "and in a stable order: the file imports back with no change.",
    )
    def get(self, request, kind, project_id=None):
        _check_kind(kind)
        # gazu may send episode_id or assigned_to, which this export does not
        # narrow by: a 400 says so, where ignoring them would hand back every row.
        unknown = sorted(set(request.query_params) - {"project_id"})
        if unknown:
            raise ApiError(f"Unknown parameter '{unknown[0]}': an export is narrowed by project_id only.")
        project_id = project_id or request.query_params.get("project_id")
        project = _project(project_id, request.user) if project_id else None
        export = csv_export(kind=kind, project=project, person=request.user)
        response = StreamingHttpResponse(export.chunks(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
