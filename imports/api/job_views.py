"""Import jobs (docs/jobs.md): list, read, cancel. Jobs are made by the import
routes, when an import is large or `?async=true` asks for one."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.api.job_serializers import JobSerializer
from imports.jobs.services import JobFinished, job_cancel, jobs_visible
from imports.models import Job
from production import permissions
from zou_site.api.errors import ApiError
from zou_site.api.pagination import ZouPagination
from zou_site.api.params import visible_or_404

TAGS = ["jobs"]


def job_accepted(job):
    """The answer of an import that became a job: 202, where to poll, the job."""
    response = Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
    response["Location"] = f"/api/data/jobs/{job.id}"
    return response


class JobBaseView(APIView):
    permission_classes = [permissions.IsManagerOrAdmin]

    def get_job(self, job_id):
        return visible_or_404(jobs_visible(self.request.user), job_id, "Job")


class JobListView(JobBaseView):
    @extend_schema(tags=TAGS, responses={200: JobSerializer(many=True)}, description="Admins see every job, managers theirs; newest first. `?state=` narrows.")
    def get(self, request):
        jobs = jobs_visible(request.user)
        unknown = sorted(set(request.query_params) - {"state", "page", "limit"})
        if unknown:
            raise ApiError(f"Unknown parameter '{unknown[0]}': jobs are narrowed by state only.")
        state = request.query_params.get("state")
        if state is not None:
            if state not in Job.State.values:
                raise ApiError(f"'state' must be one of {', '.join(Job.State.values)}, not '{state}'.")
            jobs = jobs.filter(state=state)
        jobs = jobs.order_by("-created_at", "id")
        paginator = ZouPagination()
        page = paginator.paginate_queryset(jobs, request, view=self)
        if page is not None:
            return paginator.get_paginated_response(JobSerializer(page, many=True).data)
        return Response(JobSerializer(jobs, many=True).data)


class JobDetailView(JobBaseView):
    @extend_schema(tags=TAGS, responses={200: JobSerializer})
    def get(self, request, job_id):
        return Response(JobSerializer(self.get_job(job_id)).data)


class JobCancelView(JobBaseView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: JobSerializer, 409: None},
        description="Cancel a job before it commits: a queued job is cancelled at once, a running one rolls back "
        "everything it wrote at its next step (state turns `cancelled`). A finished job answers 409.",
    )
    def post(self, request, job_id):
        try:
            job = job_cancel(job=self.get_job(job_id))
        except JobFinished as error:
            raise ApiError(str(error), status_code=status.HTTP_409_CONFLICT)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
