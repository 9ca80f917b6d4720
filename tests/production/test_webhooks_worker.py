"""Webhooks delivered by a real Celery worker (a subprocess, Redis,
PostgreSQL) to a real HTTP receiver (issue 20, acceptance 1 and 2): a task's
status change through the API delivers one signed webhook; 500, 500, 200 are
three logged attempts; 410 is not retried; a worker killed mid-delivery and
started again delivers it, duplicates carrying the same Idempotency-Key."""

import time

import pytest

from production.models import TaskStatus, WebhookDelivery
from tests.celery_worker import wait_for
from tests.webhook_receiver import Receiver

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.xdist_group("celery_worker"),
    # As the suite's other transactional tests (see test_import_jobs_worker.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def receiver(real_worker, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    served = Receiver()
    yield served
    served.close()


def subscribe(client, receiver, events=("task:status-changed",)):
    response = client.post("/api/data/webhooks", {"url": receiver.url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.content
    receiver.secret = response.json()["secret"]
    return response.json()["id"]


def change_status(client, task):
    response = client.put(f"/api/data/tasks/{task.id}/start")
    assert response.status_code == 200, response.content


def settled(client, webhook_id, count=1):
    def check():
        deliveries = client.get(f"/api/data/webhooks/{webhook_id}/deliveries").json()
        return deliveries if len(deliveries) == count and all(d["state"] != "pending" for d in deliveries) else None

    return check


def test_a_status_change_delivers_one_signed_webhook(api_client, production, receiver, real_worker):
    webhook_id = subscribe(api_client, receiver)
    task = production["tasks"][0]
    change_status(api_client, task)
    [delivery] = wait_for(settled(api_client, webhook_id), 30, real_worker, "the webhook's delivery")

    [request] = receiver.received
    body = receiver.verified(request)
    wip = TaskStatus.objects.get(short_name="wip")
    assert (body["event"], body["data"]["task_id"], body["project_id"]) == ("task:status-changed", str(task.id), str(task.project_id))
    assert body["data"]["new_task_status_id"] == str(wip.id)
    assert request["headers"]["Idempotency-Key"] == body["id"] == delivery["event_id"]
    assert (delivery["state"], [a["status_code"] for a in delivery["attempt_log"]]) == ("delivered", [200])


def test_500_twice_then_200_is_three_logged_attempts_and_410_is_not_retried(api_client, production, receiver, real_worker):
    receiver.statuses = [500, 500, 200]
    webhook_id = subscribe(api_client, receiver)
    change_status(api_client, production["tasks"][0])
    [delivery] = wait_for(settled(api_client, webhook_id), 30, real_worker, "three attempts")
    assert delivery["state"] == "delivered"
    assert [(a["number"], a["status_code"]) for a in delivery["attempt_log"]] == [(1, 500), (2, 500), (3, 200)]
    assert all(a["duration_ms"] is not None and a["response_excerpt"] for a in delivery["attempt_log"])
    assert len(receiver.received) == 3

    receiver.statuses = [410]
    receiver.received.clear()
    change_status(api_client, production["tasks"][1])
    deliveries = wait_for(settled(api_client, webhook_id, count=2), 30, real_worker, "the 410 delivery")
    assert (deliveries[0]["state"], [a["status_code"] for a in deliveries[0]["attempt_log"]]) == ("failed", [410])
    # Nothing comes after it: a retry would have come after 0.2 s (WEBHOOK_RETRY_BASE_SECONDS).
    time.sleep(1.5)
    assert len(receiver.received) == 1


def test_a_worker_killed_mid_delivery_delivers_after_restart_with_one_idempotency_key(api_client, production, receiver, real_worker):
    webhook_id = subscribe(api_client, receiver)
    receiver.hold()
    change_status(api_client, production["tasks"][0])
    assert receiver.held.wait(30), real_worker.log()
    real_worker.kill()
    receiver.release()
    real_worker.start()

    [delivery] = wait_for(settled(api_client, webhook_id), 60, real_worker, "the delivery after the restart")
    assert delivery["state"] == "delivered"
    # The killed attempt has no answer; the next one after the restart succeeded.
    assert [a["status_code"] for a in delivery["attempt_log"]][-1] == 200
    assert delivery["attempt_log"][0]["status_code"] is None
    keys = [request["headers"]["Idempotency-Key"] for request in receiver.received]
    assert len(keys) >= 2 and set(keys) == {delivery["event_id"]}
    assert WebhookDelivery.objects.count() == 1
