"""Signed webhooks (docs/webhooks.md): subscriptions, the event sink that
turns stored events into deliveries, and their delivery by Celery workers.

- hosts.py     which hosts deliveries may reach (WEBHOOK_ALLOWED_HOSTS)
- sink.py      the EVENT_SINKS entry: matching events become deliveries
- delivery.py  signing, sending, retrying, in order per subscription
- services.py  subscriptions and redeliveries, as the API and the admin make them
- api.py, admin.py"""
