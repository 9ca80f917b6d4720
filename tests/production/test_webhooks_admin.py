"""Webhooks in the admin: admins add one (the same checks as the API, a
secret generated), see why one was disabled, read the attempts and redeliver;
managers do not see them."""

from production.models import WebhookDelivery, WebhookSubscription
from production.webhooks.sink import enqueue
from tests.factories import make_person
from tests.helpers import browser_for
from tests.production.test_webhooks import stored_event

ADD = "/admin/production/webhooksubscription/add/"


def test_an_admin_adds_a_webhook_and_reads_its_deliveries(admin_person, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    browser = browser_for(admin_person)
    refused = browser.post(ADD, {"name": "farm", "url": "http://10.1.2.3/hook", "events": '["task:*"]', "active": "on"})
    assert refused.status_code == 200 and "not in WEBHOOK_ALLOWED_HOSTS" in refused.content.decode()
    bad_events = browser.post(ADD, {"name": "farm", "url": "http://127.0.0.1:9/hook", "events": '["task new"]', "active": "on"})
    assert "is not an event name or pattern" in bad_events.content.decode()

    added = browser.post(ADD, {"name": "farm", "url": "http://127.0.0.1:9/hook", "events": '["task:*"]', "active": "on"})
    assert added.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert (subscription.created_by, len(subscription.secret) >= 32) == (admin_person, True)

    WebhookSubscription.objects.update(active=False, disabled_reason="Disabled: every delivery failed since yesterday.")
    listing = browser.get("/admin/production/webhooksubscription/").content.decode()
    assert "Disabled: every delivery failed since yesterday." in listing

    WebhookSubscription.objects.update(active=True)
    enqueue([stored_event()])
    delivery = WebhookDelivery.objects.get()
    delivery.attempt_log.create(number=1, status_code=503, response_excerpt="busy", duration_ms=12)
    page = browser.get(f"/admin/production/webhookdelivery/{delivery.id}/change/").content.decode()
    assert "503" in page and "busy" in page
    redelivered = browser.post(
        "/admin/production/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.id]}
    )
    assert redelivered.status_code == 302
    assert WebhookDelivery.objects.filter(event_id=delivery.event_id).count() == 2


def test_managers_do_not_see_webhooks(db):
    browser = browser_for(make_person("manager"))
    assert browser.get("/admin/production/webhooksubscription/").status_code == 403
    assert "Webhooks" not in browser.get("/admin/").content.decode()
