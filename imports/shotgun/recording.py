"""A Shotgun import's events (production.events): `<type>:new` for each row
created, `<type>:update` with its fields old → new for each row changed (the
many-to-many list too: a task's assignees, a shot's casting), and a task's
status and assignation events. Built from the rows the importer holds before
and after the write: no query per record (comments and previews reach their
project through their tasks, read in one query)."""

import json
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from production import events
from production.models import ApiEvent, Entity, Person, Task


def store_import_events(importer, created, updated, more=()):
    """Store a chunk's events: the created rows' first (built in the database,
    _store_created), then the updates' and `more` (casting links), in
    that order of time."""
    actor = importer.actor
    person = actor if isinstance(actor, Person) else events.current_person()
    model = importer.model
    type_ = events.entity_kind(importer.zou_type) if issubclass(model, Entity) else events.kebab(importer.zou_type)
    projects = _projects(model, created + updated)
    after = _store_created(type_, [(item.new["id"], projects(item.new)) for item in created], person=person)
    found = _update_events(importer, updated, type_, projects, person) + list(more)
    if found and after is not None:
        found[0].created_at = max(found[0].created_at, after)
    # Not held until the commit: a streamed batch's chunks would pile them up.
    events.store(found, hold=False)


def _update_events(importer, updated, type_, projects, person):
    model = importer.model
    found = []
    for item in updated:
        before, after = item.row, item.new
        changes = events.changes_between({a: before[a] for a in item.values}, {a: after[a] for a in item.values})
        many = importer.many_field
        if many and item.many_before is not None and set(item.many_before) != set(item.many_now or []):
            changes[many] = {"old": sorted(map(str, item.many_before)), "new": sorted(map(str, item.many_now))}
        if not changes:
            continue
        project_id = projects(after)
        found.append(_event(f"{type_}:update", type_, after["id"], project_id, person, changes=changes))
        if model is Task:
            found += events.task_follow_ups(after["id"], changes, project_id=project_id, person=person)
    return found


def _event(name, type_, pk, project_id, person, **data):
    return events.event(name, data={events.id_key(type_): pk, **data}, project_id=project_id, object_id=pk, person=person)


def _projects(model, items):
    """row → its project id; a row with none of its own (a comment, a
    preview) reaches it through its task, all such tasks read in one query."""
    columns = {f.attname for f in model._meta.concrete_fields}
    if "project_id" in columns or model.__name__ == "Project":
        return lambda row: row["id"] if model.__name__ == "Project" else row.get("project_id")
    link = "task_id" if "task_id" in columns else "object_id"
    task_ids = {item.new.get(link) for item in items} - {None}
    by_task = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "project_id")) if task_ids else {}
    return lambda row: by_task.get(row.get(link))


def _store_created(type_, rows, person):
    """`<type>:new` for the rows a chunk created, as events.store(...,
    hold=False) stores them: rows are (pk,
    project_id) pairs. On PostgreSQL one INSERT … SELECT builds the events in
    the database (no ApiEvent instance per row, read back for the sinks once
    the transaction commits); elsewhere through store(). Answers the moment
    after the last event's, for the events stored next to follow them."""
    rows = list(rows)
    if not rows or not events.enabled():
        return None
    if connection.vendor != "postgresql":
        built = [_event(f"{type_}:new", type_, pk, project_id, person) for pk, project_id in rows]
        return events.store(built, hold=False)[-1].created_at + timedelta(microseconds=1)
    extra = {}
    if person is None and events.current_via() is not None:
        extra["via"] = events.current_via()
    first = timezone.now()
    table = connection.ops.quote_name(ApiEvent._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (id, name, data, project_id, person_id, object_id, created_at)
            SELECT gen_random_uuid(), %s,
                jsonb_build_object(%s, r.pk::text)
                    || CASE WHEN r.project_id IS NULL THEN '{{}}'::jsonb ELSE jsonb_build_object('project_id', r.project_id::text) END
                    || %s::jsonb,
                r.project_id, %s, r.pk, %s + (r.n - 1) * interval '1 microsecond'
            FROM unnest(string_to_array(%s, ',')::uuid[], string_to_array(%s, ',', '')::uuid[]) WITH ORDINALITY AS r(pk, project_id, n)
            ORDER BY r.n
            RETURNING id""",
            [
                f"{type_}:new",
                events.id_key(type_),
                json.dumps(extra),
                person.pk if person is not None else None,
                first,
                ",".join(_hex(pk) for pk, _ in rows),
                # An empty field is read as NULL: a row with no project.
                ",".join(_hex(project_id) if project_id is not None else "" for _, project_id in rows),
            ],
        )
        ids = b"".join(found.bytes for (found,) in cursor.fetchall())
        events.call_sinks_on_commit(ids)
    return first + timedelta(microseconds=len(rows))


def _hex(pk):
    """A uuid as PostgreSQL reads it, cheaper than str()."""
    return pk.hex if isinstance(pk, uuid.UUID) else str(pk)
