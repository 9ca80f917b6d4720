"""The Celery application: `celery -A zou_site worker` runs the background
jobs (big imports, webhook deliveries). Its settings are Django's CELERY_*
(zou_site/settings.py); without a broker URL every task runs in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

app = Celery("zou_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
