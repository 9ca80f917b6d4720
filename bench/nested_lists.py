"""Time the nested lists in-process (no server): a throwaway test database,
one shot with many tasks, one task with many comments, then each nested route
requested through DRF's test client; prints the median time per route
(issue 12; query counts are pinned by tests/api/test_nested_lists.py).

    .venv/bin/python bench/nested_lists.py [--tasks 300] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_nested .venv/bin/python bench/nested_lists.py
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings_test")

import django

django.setup()

from django.db import connection
from django.test.utils import setup_test_environment
from rest_framework.test import APIClient

from production.models import (
    Comment, Department, Episode, Person, Project, ProjectStatus, Sequence, Shot, Task, TaskStatus, TaskType,
)
from production.auth.persons import bot_token_issue


def seed(n_tasks):
    project = Project.objects.create(name="Bench", project_status=ProjectStatus.objects.get(name="Open"))
    episode = Episode.objects.create(name="E01", project=project)
    sequence = Sequence.objects.create(name="S01", project=project, parent=episode)
    shot = Shot.objects.create(name="P01", project=project, parent=sequence)
    department = Department.objects.create(name="Animation")
    todo = TaskStatus.objects.get(short_name="todo")
    admin = Person.objects.create_user("bench@studio.test", role="admin", is_bot=True, first_name="Bench")
    types = TaskType.objects.bulk_create(TaskType(name=f"Type {i:03}", department=department) for i in range(n_tasks))
    tasks = Task.objects.bulk_create(
        Task(name="main", project=project, task_type=t, task_status=todo, entity=shot) for t in types
    )
    for i in range(n_tasks):
        Shot.objects.create(name=f"P{i + 2:03}", project=project, parent=sequence)
    Comment.objects.bulk_create(
        Comment(object_id=tasks[0].id, text=f"note {i}", person=admin, task_status=todo) for i in range(n_tasks)
    )
    return admin, {
        "data/shots/<id>/tasks": f"/api/data/shots/{shot.id}/tasks",
        "data/shots/<id>/task_types": f"/api/data/shots/{shot.id}/task_types",
        "data/episodes/<id>/shots": f"/api/data/episodes/{episode.id}/shots",
        "data/sequences/<id>/shots": f"/api/data/sequences/{sequence.id}/shots",
        "data/tasks/<id>/comments": f"/api/data/tasks/{tasks[0].id}/comments",
        "data/shots/with-tasks": "/api/data/shots/with-tasks",
    }


def rows_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        admin, routes = seed(args.tasks)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {bot_token_issue(bot=admin, actor=admin)}")
        print(f"{connection.vendor}, {args.tasks} rows per list, median of {args.runs} runs")
        for label, url in routes.items():
            rows = len(rows_of(client.get(url)))
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                rows_of(client.get(url))
                times.append(time.perf_counter() - start)
            print(f"{label:32} {rows:5} rows {median(times) * 1000:8.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
