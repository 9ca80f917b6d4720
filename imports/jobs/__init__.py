"""Imports as background jobs: services.py creates and cancels them (the
request's side), runner.py runs one (a Celery worker's side, imports/tasks.py)."""
