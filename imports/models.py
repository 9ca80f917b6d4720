from django.db import models

from production.models import BaseModel


class DataImportError(BaseModel):
    """A record or row that could not be imported, with the reason, kept for review."""

    class Source(models.TextChoices):
        CSV = "csv", "CSV"
        SHOTGUN = "shotgun", "Shotgun"

    source = models.CharField(max_length=20, choices=Source.choices, db_index=True)
    event_data = models.JSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.source} error {self.created_at:%Y-%m-%d %H:%M}"


class Job(BaseModel):
    """An import running outside the request that asked for it (a Celery task):
    its progress, and at the end the answer the synchronous import gives."""

    class Source(models.TextChoices):
        CSV = "csv", "CSV"
        SHOTGUN = "shotgun", "Shotgun"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    source = models.CharField(max_length=20, choices=Source.choices)
    kind = models.CharField(max_length=40, help_text="What is imported: tasks, shots, persons...")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED, db_index=True)
    dry_run = models.BooleanField(default=False)
    project = models.ForeignKey("production.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey("production.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    # Where the uploaded records or sheet wait for the worker (default storage,
    # shared by every machine); removed once the job has run.
    input_name = models.CharField(max_length=255, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    # The synchronous import's answer without its rows ("data"); for a refused
    # import, its 400 body: {"message", "errors"}.
    summary = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_source_display()} {self.kind} import ({self.state})"

    @property
    def percent(self):
        if self.state == self.State.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
