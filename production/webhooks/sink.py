"""The webhooks' event sink (settings.EVENT_SINKS): called after a change
commits with its stored events, it records one delivery per matching active
subscription, in the events' order, and asks a worker to send them."""

import fnmatch
import json

from django.core.serializers.json import DjangoJSONEncoder

from production.models import WebhookDelivery, WebhookSubscription
from production.tasks import deliver_webhooks


def matches(subscription, event):
    if subscription.project_id is not None and subscription.project_id != event.project_id:
        return False
    return any(fnmatch.fnmatchcase(event.name, pattern) for pattern in subscription.events)


def payload(event):
    """The body every attempt sends, the same each time (its signature differs by timestamp)."""
    body = {
        "id": event.id,
        "event": event.name,
        "created_at": event.created_at,
        "project_id": event.project_id,
        "person_id": event.person_id,
        "data": event.data,
    }
    # Ids and dates as JSON text, as the event's stored data has them.
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def enqueue(events):
    subscriptions = list(WebhookSubscription.objects.filter(active=True))
    if not subscriptions:
        return
    deliveries = [
        WebhookDelivery(
            subscription=subscription, event_id=event.id, event_name=event.name, payload=payload(event), created_at=event.created_at
        )
        for event in events
        for subscription in subscriptions
        if matches(subscription, event)
    ]
    if not deliveries:
        return
    WebhookDelivery.objects.bulk_create(deliveries)
    for subscription_id in dict.fromkeys(delivery.subscription_id for delivery in deliveries):
        deliver_webhooks.delay(str(subscription_id))
