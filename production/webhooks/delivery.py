"""Sending a subscription's deliveries, oldest first, one worker at a time.

A worker takes the subscription's lease, sends its pending deliveries in order
and stops at the first that must wait for a retry: later events never overtake
an earlier one. Each attempt is logged before the request goes out (a worker
killed mid-request leaves an attempt with no answer) and completed after.
Retried, with exponential backoff: timeouts, connection errors, 5xx, 408 and
429. Not retried: any other answer (4xx, redirects), a refused host. A
subscription failing for WEBHOOK_DISABLE_AFTER_SECONDS is disabled with the
reason; its pending deliveries wait until an admin turns it on again."""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from production.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from production.webhooks.hosts import HostRefused, target

EXCERPT_CHARS = 1000
RETRIED_STATUSES = {408, 429}
USER_AGENT = "zou-django-webhooks/1"


def signature(secret, timestamp, body):
    """What X-Zou-Signature carries: HMAC-SHA256 of "<timestamp>.<body>" with
    the subscription's secret; a receiver recomputes it and refuses an old timestamp."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_of(delivery):
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def backoff(attempts):
    base, cap = settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
    return min(cap, base * 2 ** (attempts - 1))


def lease_seconds():
    """Longer than one attempt can take (connecting, sending, reading, each
    bounded by the timeout): a live worker never loses its lease mid-attempt."""
    return 3 * settings.WEBHOOK_TIMEOUT_SECONDS + 1


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address the host check resolved, not to a new look-up."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers):
    """(status, response excerpt). Raises HostRefused, or OSError for timeouts
    and connection errors. Redirects are not followed."""
    scheme, host, port, address = target(url)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, settings.WEBHOOK_TIMEOUT_SECONDS)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return response.status, excerpt
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def _headers(subscription, delivery, body):
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Zou-Event": delivery.event_name,
        "X-Zou-Delivery": str(delivery.id),
        "X-Zou-Timestamp": timestamp,
        "X-Zou-Signature": signature(subscription.secret, timestamp, body),
        "Idempotency-Key": str(delivery.event_id),
    }


def attempt(subscription, delivery):
    """One attempt at the delivery; answers True when it is settled (delivered
    or given up), False when it waits for a retry."""
    body = body_of(delivery)
    delivery.attempts += 1
    WebhookDelivery.objects.filter(id=delivery.id).update(attempts=delivery.attempts)
    logged = WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts)
    started = time.monotonic()
    status, excerpt, error = None, "", ""
    try:
        status, excerpt = post(subscription.url, body, _headers(subscription, delivery, body))
        retry = status >= 500 or status in RETRIED_STATUSES
        if 300 <= status < 400:
            error = "Redirects are not followed: point the webhook at the final URL."
    except HostRefused as refused:
        error, retry = str(refused), False
    except OSError as failure:
        error, retry = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__, True
    logged.duration_ms = int(1000 * (time.monotonic() - started))
    logged.status_code, logged.response_excerpt, logged.error = status, excerpt, error
    logged.save(update_fields=["duration_ms", "status_code", "response_excerpt", "error"])

    now = timezone.now()
    succeeded = status is not None and 200 <= status < 300
    if succeeded:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.State.DELIVERED, now, None
    elif retry:
        delivery.next_attempt_at = now + timedelta(seconds=backoff(delivery.attempts))
    else:
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
    delivery.save(update_fields=["state", "delivered_at", "next_attempt_at"])
    _health(subscription, succeeded, logged, now)
    return succeeded or not retry


def _health(subscription, succeeded, logged, now):
    if succeeded:
        if subscription.failing_since:
            WebhookSubscription.objects.filter(id=subscription.id).update(failing_since=None)
            subscription.failing_since = None
        return
    if subscription.failing_since is None:
        subscription.failing_since = now
        WebhookSubscription.objects.filter(id=subscription.id).update(failing_since=now)
    if now - subscription.failing_since >= timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS):
        last = f"HTTP {logged.status_code}" if logged.status_code else logged.error
        subscription.active = False
        subscription.disabled_reason = (
            f"Disabled {now:%Y-%m-%d %H:%M} UTC: every delivery failed since {subscription.failing_since:%Y-%m-%d %H:%M} UTC "
            f"(WEBHOOK_DISABLE_AFTER_SECONDS={settings.WEBHOOK_DISABLE_AFTER_SECONDS}); last attempt: {last}."
        )
        WebhookSubscription.objects.filter(id=subscription.id).update(active=False, disabled_reason=subscription.disabled_reason)


def _take_lease(subscription_id):
    now = timezone.now()
    return WebhookSubscription.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now), id=subscription_id, active=True
    ).update(lease_until=now + timedelta(seconds=lease_seconds()))


def drain(subscription_id, later):
    """Send the subscription's due deliveries in order. `later(seconds)` asks
    for another run of this after that long (a retry, a lease held elsewhere)."""
    if not _take_lease(subscription_id):
        held = WebhookSubscription.objects.filter(id=subscription_id, active=True).values_list("lease_until", flat=True).first()
        if held:
            # Another worker is sending: look again soon, in case it finishes
            # before seeing this delivery, or died (its lease then runs out).
            later(min(1.0, max(0.1, (held - timezone.now()).total_seconds())))
        return
    try:
        subscription = WebhookSubscription.objects.get(id=subscription_id)
        pending = WebhookDelivery.objects.filter(subscription_id=subscription_id, state=WebhookDelivery.State.PENDING)
        while subscription.active:
            head = pending.order_by("id").first()
            if head is None:
                return
            wait = (head.next_attempt_at - timezone.now()).total_seconds() if head.next_attempt_at else 0
            if wait > 0:
                later(wait)
                return
            WebhookSubscription.objects.filter(id=subscription_id).update(
                lease_until=timezone.now() + timedelta(seconds=lease_seconds())
            )
            if not attempt(subscription, head):
                later(backoff(head.attempts))
                return
    finally:
        WebhookSubscription.objects.filter(id=subscription_id).update(lease_until=None)
