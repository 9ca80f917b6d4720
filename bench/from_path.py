"""Benchmark of data/tasks/from-path against its worst case (issue 13 finding 2):
a tree with four tokens in one folder name (`<Sequence>_<Shot>_<TaskType>_<Task>`)
and almost-matching paths of `a_a_a...` whose last folder misses, which made the
former regex try every split of the folder name (O(n^4)).

    .venv/bin/python bench/from_path.py

It prints, for paths of 500 to 4000 characters, the best of five times of the
path reading alone (files.path_templates.parse_folder_path) and the positions it
visited; then the HTTP answer (status and best of five times) of
POST data/tasks/from-path for a path at the length limit and a 2000-character
one, on a throwaway in-memory SQLite database with one shot task.
"""

import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from files.file_trees import FROM_PATH_MAX_LENGTH  # noqa: E402
from files.path_templates import StepCounter, parse_folder_path  # noqa: E402

FOLDER = "<Project>/shots/<Sequence>_<Shot>_<TaskType>_<Task>/work"
TREE = {
    "working": {
        "mountpoint": "/mnt",
        "root": "prod",
        "folder_path": {"shot": FOLDER, "asset": "<Project>/assets/<Asset>", "style": "lowercase"},
        "file_name": {"shot": "<Shot>", "asset": "<Asset>", "style": "lowercase"},
    }
}
HEAD = "/mnt/prod/bench/shots/"


def attack(length):
    """An almost-matching path of about `length` characters."""
    return HEAD + "a_" * ((length - len(HEAD) - len("/wor")) // 2) + "/wor"


def best_of(times, call):
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_reading():
    print("path reading alone (four tokens in one folder name, last folder missing)")
    for length in (500, 1000, 2000, 4000):
        path = attack(length)
        counter = StepCounter()
        parse_folder_path(TREE, "working", "shot", path, counter=counter)
        seconds, found = best_of(5, lambda: parse_folder_path(TREE, "working", "shot", path))
        print(f"  {len(path):5d} chars: {seconds * 1000:7.2f} ms, {counter.steps} positions visited, found={found}")


def bench_http():
    from production.models import Person, Project, ProjectStatus
    from zou_site.authentication import issue_tokens

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 and 400 answers are expected
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    admin = Person.objects.create_user("bench@studio.test", "x" * 20, role="admin")
    status = ProjectStatus.objects.get_or_create(name="Open")[0]
    Project.objects.create(name="bench", project_status=status, file_tree=TREE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(admin)[0]}")
    print("POST data/tasks/from-path (gunicorn aside: Django's test client, in-memory SQLite)")
    for path in (attack(FROM_PATH_MAX_LENGTH), attack(2000)):
        seconds, response = best_of(5, lambda: client.post("/api/data/tasks/from-path", {"file_path": path}, format="json"))
        print(f"  {len(path):5d} chars: {seconds * 1000:7.2f} ms, {response.status_code} {response.json()['message'][:70]}")


if __name__ == "__main__":
    bench_reading()
    bench_http()
