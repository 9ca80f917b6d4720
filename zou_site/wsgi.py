"""The WSGI application gunicorn and runserver serve.

Without REDIS_URL (runserver, the README's demo, one gunicorn worker) the live
event stream is served here too, at /socket.io/ where gazu.events connects:
events made in this process reach its listeners directly. With REDIS_URL the
API workers only publish to Redis and zou_site/events_wsgi.py serves the stream."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")
application = get_wsgi_application()

if not settings.REDIS_URL:
    import socketio

    from production import events_stream

    application = socketio.WSGIApp(events_stream.server(), application)
