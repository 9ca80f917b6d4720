import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key (a client may send its own) and UTC timestamps, as Zou."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def unique_with_nullable(fields, nullable, name, message):
    """Two partial unique constraints standing for UNIQUE(fields) where SQL's
    NULL != NULL would otherwise let duplicates through (e.g. two sequences of
    the same name with no episode). Works on SQLite and PostgreSQL alike."""
    return [
        models.UniqueConstraint(
            fields=fields,
            condition=models.Q(**{f"{nullable}__isnull": False}),
            name=f"{name}_uniq",
            violation_error_message=message,
        ),
        models.UniqueConstraint(
            fields=[f for f in fields if f != nullable],
            condition=models.Q(**{f"{nullable}__isnull": True}),
            name=f"{name}_null_uniq",
            violation_error_message=message,
        ),
    ]
