"""Concurrent writes through the HTTP API (issue #9), on PostgreSQL.

Each test starts N threads on a barrier; each thread has its own requests
Session against the live server, whose ThreadedWSGIServer answers every
request in its own thread with its own database connection — the shape of
several gunicorn workers on one PostgreSQL. The threads never touch the ORM;
the test reads the end state once they are done.

Run them repeatedly to shake out races:

    for i in $(seq 20); do DATABASE_URL=postgres://... .venv/bin/pytest tests/reliability -q -m postgres_only -p no:randomly || break; done
"""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum

from production.models import Department, Person, Project, Sequence, Shot, Task, TaskStatus, TimeSpent
from tests.factories import make_person

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.live,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 30


def in_parallel(count, work, make_api):
    """Run work(index, api) in `count` threads released together; answer the
    results in index order. Each thread has its own API session."""
    apis = [make_api() for _ in range(count)]
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait(timeout=30)
        return work(index, apis[index])

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def assert_no_server_error(responses):
    for response in responses:
        assert response.status_code < 500, f"{response.request.method} {response.url}: {response.status_code} {response.text[:500]}"


# --- the same natural key created ten times at once --------------------------------------------

def natural_key_cases(production):
    sequence = production["sequences"][0]
    project = production["project"]
    return {
        "project": ("data/projects", {"name": "Same"}, lambda: Project.objects.filter(name="Same")),
        "person": (
            "data/persons",
            {"first_name": "Same", "last_name": "Person", "email": "same@studio.test"},
            lambda: Person.objects.filter(email="same@studio.test"),
        ),
        "department": ("data/departments", {"name": "Same department"}, lambda: Department.objects.filter(name="Same department")),
        "task-status": (
            "data/task_status",
            {"name": "Same status", "short_name": "same"},
            lambda: TaskStatus.objects.filter(short_name="same"),
        ),
        "shot": (
            f"data/projects/{project.id}/shots",
            {"name": "SH999", "sequence_id": str(sequence.id)},
            lambda: Shot.objects.filter(name="SH999", parent=sequence),
        ),
    }


@pytest.mark.parametrize("kind", ["project", "person", "department", "task-status", "shot"])
def test_parallel_creates_of_one_natural_key_make_one_row(kind, production, live_api_factory):
    path, body, rows = natural_key_cases(production)[kind]
    responses = in_parallel(10, lambda i, api: api.post(path, json=body), live_api_factory)
    assert_no_server_error(responses)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * 9, [(r.status_code, r.text[:200]) for r in responses]
    for response in responses:
        if response.status_code == 400:
            assert response.json()["message"], response.text
    created = next(r.json() for r in responses if r.status_code == 201)
    assert [str(pk) for pk in rows().values_list("id", flat=True)] == [created["id"]]


# --- assign and clear-assignation on one task --------------------------------------------------

def through_rows(task):
    return list(Task.assignees.through.objects.filter(task=task).values_list("person_id", flat=True))


def test_parallel_assign_and_clear_on_one_task_ends_consistent(production, admin, live_api_factory):
    task = production["tasks"][0]
    persons = [make_person("user", email=f"assignee{i}@studio.test") for i in range(8)]
    production["project"].team.add(*persons)

    def assign_clear_assign(index, api):
        person = persons[index]
        answers = []
        for _ in range(3):
            answers.append(api.put(f"data/tasks/{task.id}/assign", json={"person_id": str(person.id)}))
            answers.append(api.put("actions/tasks/clear-assignation", json={"task_ids": [str(task.id)], "person_id": str(person.id)}))
            answers.append(api.put(f"actions/persons/{person.id}/assign", json={"task_ids": [str(task.id)]}))
        return answers

    answers = [a for thread in in_parallel(8, assign_clear_assign, live_api_factory) for a in thread]
    assert_no_server_error(answers)
    assert all(a.status_code == 200 for a in answers), [(a.url, a.status_code, a.text[:200]) for a in answers if a.status_code != 200]
    # Each person's last act was an assignment: all eight are assigned, once each.
    links = through_rows(task)
    assert sorted(links) == sorted(p.id for p in persons)
    task.refresh_from_db()
    assert task.assigner_id == admin.id
    row = live_api_factory().get(f"data/tasks/{task.id}").json()
    assert sorted(row["assignees"]) == sorted(str(p.id) for p in persons)


def test_parallel_assign_against_clear_all_leaves_no_duplicate(production, live_api_factory):
    task = production["tasks"][1]
    persons = [make_person("user", email=f"racer{i}@studio.test") for i in range(6)]

    def work(index, api):
        answers = []
        for round_ in range(4):
            if index % 2:
                answers.append(api.put("actions/tasks/clear-assignation", json={"task_ids": [str(task.id)]}))
            else:
                person = persons[(index + round_) % len(persons)]
                answers.append(api.put(f"actions/persons/{person.id}/assign", json={"task_ids": [str(task.id)]}))
                answers.append(api.put(f"data/tasks/{task.id}/assign", json={"person_id": str(person.id)}))
        return answers

    answers = [a for thread in in_parallel(10, work, live_api_factory) for a in thread]
    assert_no_server_error(answers)
    assert all(a.status_code == 200 for a in answers), [(a.url, a.status_code, a.text[:200]) for a in answers if a.status_code != 200]
    links = through_rows(task)
    assert len(links) == len(set(links)) and set(links) <= {p.id for p in persons}
    row = live_api_factory().get(f"data/tasks/{task.id}").json()
    assert sorted(row["assignees"]) == sorted(str(pid) for pid in links)
    # And a final clear empties it whatever came before.
    cleared = live_api_factory().put("actions/tasks/clear-assignation", json={"task_ids": [str(task.id)]})
    assert cleared.status_code == 200 and cleared.json() == [str(task.id)]
    assert through_rows(task) == []


# --- time spent added at once -----------------------------------------------------------------

def test_parallel_time_spent_additions_on_one_day_add_up(production, live_api_factory):
    task = production["tasks"][0]
    artist = make_person("user", email="timer@studio.test")
    day = "2017-03-20"
    url = f"actions/tasks/{task.id}/time-spents/{day}/persons/{artist.id}/add"

    responses = in_parallel(20, lambda i, api: api.post(url, json={"duration": 60}), live_api_factory)
    assert_no_server_error(responses)
    assert [r.status_code for r in responses] == [201] * 20, [r.text[:200] for r in responses if r.status_code != 201]
    assert TimeSpent.objects.filter(task=task, person=artist, date=datetime.date(2017, 3, 20)).count() == 1
    assert TimeSpent.objects.get(task=task, person=artist).duration == 1200
    task.refresh_from_db()
    assert task.duration == 1200
    day_answer = live_api_factory().get(f"actions/tasks/{task.id}/time-spents/{day}").json()
    assert day_answer["total"] == 1200 and day_answer[str(artist.id)]["duration"] == 1200


def test_parallel_time_spent_of_many_persons_keeps_the_task_total(production, live_api_factory):
    """Different persons and days lock different rows: the task's duration must
    still end equal to the sum of all its time spent."""
    task = production["tasks"][0]
    persons = [make_person("user", email=f"logger{i}@studio.test") for i in range(10)]
    days = ["2017-03-20", "2017-03-21"]

    def work(index, api):
        person = persons[index % len(persons)]
        day = days[index % 2]
        return [
            api.post(f"actions/tasks/{task.id}/time-spents/{day}/persons/{person.id}/add", json={"duration": 60})
            for _ in range(3)
        ]

    responses = [r for thread in in_parallel(20, work, live_api_factory) for r in thread]
    assert_no_server_error(responses)
    assert all(r.status_code == 201 for r in responses)
    total = TimeSpent.objects.filter(task=task).aggregate(total=Sum("duration"))["total"]
    assert total == 20 * 3 * 60
    task.refresh_from_db()
    assert task.duration == total


# --- the same Shotgun batch imported twice at once --------------------------------------------

SG_PROJECTS = [{"type": "Project", "id": 7000 + n, "name": f"SG race {n}", "sg_status": "Active"} for n in range(30)]
SG_SEQUENCES = [
    {"type": "Sequence", "id": 7100 + n, "code": f"SQ{n:02d}", "project": {"type": "Project", "id": 7000, "name": "SG race 0"}}
    for n in range(3)
]
SG_SHOTS = [
    {
        "type": "Shot",
        "id": 7200 + n,
        "code": f"SH{n:03d}",
        "project": {"type": "Project", "id": 7000, "name": "SG race 0"},
        "sg_sequence": {"type": "Sequence", "id": 7100 + n % 3, "name": f"SQ{n % 3:02d}"},
        "sg_cut_in": 1001,
        "sg_cut_duration": 24,
    }
    for n in range(60)
]


@pytest.mark.parametrize("threads", [2, 4])
def test_the_same_shotgun_batch_imported_at_once_creates_each_row_once(threads, db, live_api_factory):
    def import_all(index, api):
        return [
            api.post("data/import/shotgun/projects", json=SG_PROJECTS),
            api.post("data/import/shotgun/sequences", json=SG_SEQUENCES),
            api.post("data/import/shotgun/shots", json=SG_SHOTS),
        ]

    answers = [a for thread in in_parallel(threads, import_all, live_api_factory) for a in thread]
    assert_no_server_error(answers)
    assert all(a.status_code == 200 for a in answers), [a.text[:300] for a in answers if a.status_code != 200]
    for answer in answers:
        assert answer.json()["errors"] == [], answer.json()["errors"]
    duplicates = (
        Project.objects.filter(shotgun_id__isnull=False).values("shotgun_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert list(duplicates) == []
    assert Project.objects.filter(shotgun_id__gte=7000, shotgun_id__lt=7100).count() == len(SG_PROJECTS)
    assert Sequence.objects.filter(shotgun_id__gte=7100, shotgun_id__lt=7200).count() == len(SG_SEQUENCES)
    assert Shot.objects.filter(shotgun_id__gte=7200).count() == len(SG_SHOTS)
    # Each kind was created by exactly one of the imports; the others found it all there.
    for position, records in enumerate((SG_PROJECTS, SG_SEQUENCES, SG_SHOTS)):
        created = sorted(answers[t * 3 + position].json()["created"] for t in range(threads))
        assert created == [0] * (threads - 1) + [len(records)]


# --- deterministic regressions: the test holds a row lock to line requests up -------------------

def lock_waiters():
    """How many other sessions of this database wait on a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for_waiters(count, timeout=30):
    deadline = time.monotonic() + timeout
    while lock_waiters() < count:
        assert time.monotonic() < deadline, f"fewer than {count} requests queued on the lock"
        time.sleep(0.02)


def start(pool, api, method, path, body):
    return pool.submit(api.request, method, path, json=body)


def test_two_time_spent_additions_queued_on_the_task_row_both_count(production, live_api_factory):
    """Two persons add 60 s at once while the task row is busy (the test holds
    it FOR NO KEY UPDATE, as any other write on the task would): once it is
    free, Task.duration must be 120."""
    task = production["tasks"][0]
    first, second = make_person("user", email="first@studio.test"), make_person("user", email="second@studio.test")
    apis = [live_api_factory(), live_api_factory()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():
            Task.objects.select_for_update(no_key=True).get(pk=task.pk)
            futures = [
                start(pool, api, "POST", f"actions/tasks/{task.id}/time-spents/2017-03-20/persons/{person.id}/add", {"duration": 60})
                for api, person in zip(apis, (first, second))
            ]
            wait_for_waiters(2)
        answers = [f.result(timeout=60) for f in futures]
    assert [a.status_code for a in answers] == [201, 201], [a.text[:300] for a in answers]
    assert TimeSpent.objects.filter(task=task).aggregate(total=Sum("duration"))["total"] == 120
    task.refresh_from_db()
    assert task.duration == 120


def test_task_assign_and_person_assign_of_one_person_do_not_deadlock(production, live_api_factory):
    """The same person assigned to the same task by both routes, over and over,
    from two threads, with clear-assignation in between."""
    task = production["tasks"][0]
    bob = make_person("user", email="bob@studio.test")
    body_task, body_person = {"person_id": str(bob.id)}, {"task_ids": [str(task.id)]}
    clear = {"task_ids": [str(task.id)], "person_id": str(bob.id)}

    def work(index, api):
        answers = []
        for _ in range(ROUNDS):
            if index == 0:
                answers.append(api.put(f"data/tasks/{task.id}/assign", json=body_task))
            else:
                answers.append(api.put(f"actions/persons/{bob.id}/assign", json=body_person))
            answers.append(api.put("actions/tasks/clear-assignation", json=clear))
        return answers

    answers = [a for thread in in_parallel(2, work, live_api_factory) for a in thread]
    failed = [f"{a.request.method} {a.url.split('/api/')[1]}: {a.status_code}" for a in answers if a.status_code != 200]
    assert failed == [], f"{len(failed)} of {len(answers)} failed: {failed[:6]}"
