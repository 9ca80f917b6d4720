"""Writes of webhooks, one place for the API and the admin: subscriptions
(checked against WEBHOOK_ALLOWED_HOSTS when saved) and redeliveries."""

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from production.models import WebhookDelivery, WebhookSubscription
from production.tasks import deliver_webhooks
from production.webhooks.hosts import HostRefused, target

EVENT_PATTERN = re.compile(r"^[a-z0-9_*?\[\]-]+(:[a-z0-9_*?\[\]-]+)?$")


def events_check(events):
    if not isinstance(events, list) or not events:
        raise ValidationError({"events": ["A non-empty list of event names or patterns, e.g. [\"task:status-changed\", \"shot:*\"]."]})
    bad = [name for name in events if not isinstance(name, str) or len(name) > 80 or not EVENT_PATTERN.match(name)]
    if bad:
        raise ValidationError({"events": [f"'{bad[0]}' is not an event name or pattern such as 'task:update' or 'task:*'."]})


def url_check(url):
    try:
        target(url)
    except HostRefused as error:
        raise ValidationError({"url": [str(error)]})


def _kick(subscription):
    if subscription.active:
        transaction.on_commit(lambda: deliver_webhooks.delay(str(subscription.id)))


def webhook_save(*, subscription):
    """Create or change a subscription. Turning it on again clears why it was
    off and sends what waited meanwhile."""
    if not subscription.secret:
        subscription.secret = secrets.token_urlsafe(32)
    events_check(subscription.events)
    subscription.full_clean()
    url_check(subscription.url)
    if subscription.active:
        subscription.disabled_reason, subscription.failing_since = "", None
    with transaction.atomic():
        subscription.save()
        _kick(subscription)
    return subscription


def delivery_redeliver(*, delivery):
    """Send a delivery's event again, after every delivery of its subscription
    that waits (same body, same Idempotency-Key)."""
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            subscription=delivery.subscription, event_id=delivery.event_id, event_name=delivery.event_name, payload=delivery.payload
        )
        _kick(delivery.subscription)
    return again
