"""Webhooks: an admin's subscription to events (production.events), each
matching event's delivery to it, and every attempt at that delivery."""

from django.db import models
from django.utils import timezone

from production.models.base import BaseModel


class WebhookSubscription(BaseModel):
    name = models.CharField(max_length=120, blank=True)
    url = models.URLField(max_length=500, help_text="Where events are POSTed; its host must pass WEBHOOK_ALLOWED_HOSTS.")
    # Event names or patterns: "task:status-changed", "task:*", "*".
    events = models.JSONField(default=list)
    project = models.ForeignKey(
        "production.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Only this project's events; none: every project's.",
    )
    secret = models.CharField(max_length=128, help_text="Signs every delivery (HMAC-SHA256).")
    active = models.BooleanField(default=True)
    # Why deliveries stopped, for the admins: set when the endpoint kept failing.
    disabled_reason = models.TextField(blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    # One worker delivers a subscription's events at a time, in order: it holds
    # this lease while it does (a killed worker's lease runs out by itself).
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey("production.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "created_at"]
        verbose_name = "webhook"

    def __str__(self):
        return self.name or self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    # Increasing: a subscription's deliveries go out in this order, the events'.
    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    # The receiver's Idempotency-Key: a redelivery carries the same one.
    event_id = models.UUIDField()
    event_name = models.CharField(max_length=80)
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["subscription", "state", "id"])]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event_name} → {self.subscription} ({self.state})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    # Null while the request is out; left null when the worker died during it.
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="A timeout, a connection error, a refused host.")
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"attempt {self.number}: {self.status_code or self.error or 'no answer'}"
