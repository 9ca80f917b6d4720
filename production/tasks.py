"""Celery tasks of the production app: found by `celery -A zou_site worker`."""

from celery import current_app, shared_task

from production.webhooks.delivery import drain


@shared_task(name="production.deliver_webhooks")
def deliver_webhooks(subscription_id):
    def later(seconds):
        # In-process (no broker) a task runs at once, whatever its countdown:
        # what waits is picked up by the subscription's next event instead.
        if not current_app.conf.task_always_eager:
            deliver_webhooks.apply_async((subscription_id,), countdown=seconds)

    drain(subscription_id, later)
