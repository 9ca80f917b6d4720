"""The events server: the live event stream alone, for production next to the
API's gunicorn (README, "The live event stream"). It listens to the Redis
channel the API workers publish on and sends each event to the gazu.events
listeners allowed to see it; one process, one thread per listener:

    REDIS_URL=redis://127.0.0.1:6379/0 gunicorn zou_site.events_wsgi \\
        --workers 1 --worker-class gthread --threads 200 --bind 127.0.0.1:8001
"""

import os

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")
django.setup()

if not settings.REDIS_URL:
    raise ImproperlyConfigured(
        "The events server needs REDIS_URL, the channel the API workers publish on: "
        "without Redis, zou_site.wsgi serves the event stream itself in one process."
    )

import socketio  # noqa: E402

from production import events_stream  # noqa: E402

application = socketio.WSGIApp(events_stream.server())
