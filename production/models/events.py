"""Events: every create, update and delete of a production row, named as Zou
names them (`shot:new`, `task:update`, `task:status-changed`, ...), stored in
the transaction of the change. An update's `data["changes"]` holds its fields
old → new: the row's history is read from its events (production.events)."""

import uuid

from django.db import models
from django.utils import timezone


class ApiEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=80)
    # Zou's payload: `<type>_id`, `project_id`, ... (and `changes` for updates).
    data = models.JSONField(default=dict, blank=True)
    # Events outlive their project and their author: no constraint, the id stays.
    project = models.ForeignKey(
        "production.Project", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "production.Person", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    # The row the event is about: its history is its events.
    object_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["project", "created_at"]),
            models.Index(fields=["object_id", "created_at"]),
            models.Index(fields=["name", "created_at"]),
        ]
        verbose_name = "event"

    def __str__(self):
        return self.name
