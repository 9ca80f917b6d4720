"""Import job routes; a trailing slash is tolerated without a redirect."""

from imports.api import job_views as views
from zou_site.api.routers import ZouRouter, uuid_part

JOB_ID = uuid_part("job_id")

router = ZouRouter()
router.route("data/jobs", views.JobListView.as_view(), "jobs")
router.route(f"data/jobs/{JOB_ID}", views.JobDetailView.as_view(), "job")
router.route(f"data/jobs/{JOB_ID}/cancel", views.JobCancelView.as_view(), "job-cancel")

urlpatterns = router.urls
