"""Two publishes at the same moment must never get the same revision
(DESIGN §6): twenty threads publish on one task at once, each through its
own HTTP client and database connection."""

import threading

import pytest
from django.db import connections

from files.models import OutputFile, WorkingFile
from tests.helpers import client_for

THREADS = 20

pytestmark = [
    pytest.mark.postgres_only,
    # serialized_rollback: the flush after a transactional test would otherwise
    # drop the reference rows the data migrations created (statuses, file status).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_concurrent_publishes_get_revisions_1_to_20(admin_person, asset_task, simple_tree):
    # The default software and output type are created beforehand, and the
    # project has its tree: creating rows in the race would make the threads
    # queue on those writes by chance, hiding a missing task lock.
    warm_up = client_for(admin_person).post(
        "/api/project/tree/file", {"task_id": str(asset_task.id), "mode": "output"}, format="json"
    )
    assert warm_up.status_code == 200
    barrier = threading.Barrier(THREADS)
    answers, errors = [], []

    def publish_once():
        try:
            client = client_for(admin_person)
            barrier.wait()
            response = client.post(
                "/api/project/files/working-files/publish", {"task_id": str(asset_task.id)}, format="json"
            )
            answers.append((response.status_code, response.json()))
        except Exception as error:  # a thread's failure must fail the test, not vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish_once) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [status for status, _ in answers] == [201] * THREADS
    assert sorted(body["output_file"]["revision"] for _, body in answers) == list(range(1, THREADS + 1))
    assert sorted(body["working_file"]["revision"] for _, body in answers) == list(range(1, THREADS + 1))
    assert sorted(OutputFile.objects.values_list("revision", flat=True)) == list(range(1, THREADS + 1))
    assert sorted(WorkingFile.objects.values_list("revision", flat=True)) == list(range(1, THREADS + 1))
