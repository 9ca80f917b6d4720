# Loaded with Django so that tasks sent from the web process use the project's
# Celery settings (broker, queue, eager mode).
from zou_site.celery import app as celery_app

__all__ = ["celery_app"]
