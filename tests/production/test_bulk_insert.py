"""zou_site.bulk_insert: rows written through COPY (PostgreSQL) or bulk_create
(elsewhere) read back exactly as the ORM would have written them: NULL apart
from empty text, text with tabs, newlines and backslashes, JSON, dates,
booleans and ids; auto-created many-to-many rows get their serial ids."""

import datetime
import uuid

import pytest
from django.utils import timezone

from production.models import ApiEvent, Task
from tests.factories import make_person, make_production
from zou_site.bulk_insert import insert_instances, insert_rows

TRICKY = "tab\there\nnew line\r\\N back\\slash \\. é 🎬"


@pytest.mark.django_db
def test_rows_read_back_as_written():
    production = make_production()
    shot, task_type = production["shots"][0], production["task_types"][0]
    template = Task.objects.filter(entity=shot).first()
    now = timezone.now()
    fields = [f.attname for f in Task._meta.concrete_fields]
    rows = []
    for n, (description, data) in enumerate([(TRICKY, {"k": TRICKY, "n": [1, None]}), ("", None)]):
        row = {name: getattr(template, name) for name in fields}
        row.update(
            id=uuid.uuid4(), name=f"bulk {n}", description=description, data=data, start_date=datetime.date(2017, 6, 1),
            real_start_date=now, due_date=None, shotgun_id=None if n else 2**31 - 1, created_at=now, updated_at=now,
            task_type_id=task_type.id, entity_id=shot.id,
        )
        rows.append(row)
    insert_rows(Task, rows)
    for row in rows:
        stored = Task.objects.values(*fields).get(pk=row["id"])
        assert stored == {name: row[name] for name in fields}


@pytest.mark.django_db
def test_plain_many_to_many_rows_get_their_ids():
    make_production()
    task = Task.objects.first()
    through = Task.assignees.through
    person = make_person(role="user")
    insert_rows(through, [{"task_id": task.id, "person_id": person.id}])
    assert list(task.assignees.all()) == [person]


@pytest.mark.django_db
def test_instances_are_saved_with_their_values():
    events = [ApiEvent(name="shot:new", data={"shot_id": "x", "text": TRICKY}, object_id=uuid.uuid4()) for _ in range(3)]
    insert_instances(ApiEvent, events)
    assert all(not event._state.adding for event in events)
    stored = {event.id: (event.name, event.data, event.object_id, event.created_at) for event in ApiEvent.objects.all()}
    assert stored == {event.id: (event.name, event.data, event.object_id, event.created_at) for event in events}
