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
