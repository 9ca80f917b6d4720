"""Import jobs in the admin: state and a progress bar per job, the summary
once finished, and cancelling (docs/jobs.md)."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from imports.jobs.services import JobFinished, job_cancel, jobs_visible
from imports.models import Job
from production import permissions


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "kind", "state", "progress_bar", "created_by", "finished_at")
    list_filter = ("state", "source")
    list_select_related = ("created_by",)
    readonly_fields = (
        "source", "kind", "state", "progress_bar", "dry_run", "project", "created_by", "file_name",
        "cancel_requested", "summary_text", "created_at", "started_at", "finished_at",
    )
    exclude = ("summary", "input_name", "done", "total")
    actions = ["cancel"]

    def get_queryset(self, request):
        return jobs_visible(request.user)

    @admin.display(description="progress")
    def progress_bar(self, job):
        return format_html(
            '<progress value="{}" max="100" title="{} of {}"></progress> {}%', job.percent, job.done, job.total, job.percent
        )

    @admin.display(description="summary")
    def summary_text(self, job):
        if job.summary is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(job.summary, indent=2, ensure_ascii=False)[:20000])

    @admin.action(description="Cancel the selected jobs (before they commit)")
    def cancel(self, request, queryset):
        for job in queryset:
            try:
                job_cancel(job=job)
            except JobFinished as error:
                messages.warning(request, f"{job}: {error}")
            else:
                messages.success(request, f"{job}: cancelled." if job.state == Job.State.CANCELLED else f"{job}: cancel asked.")

    def has_module_permission(self, request):
        return request.user.is_authenticated and permissions.may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
