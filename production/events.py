"""Events of every door (REST, admin, imports, manage.py), stored in the
transaction of the change they describe, then handed to the sinks.

- `event(name, ...)` builds one unsaved ApiEvent; `created(row)`,
  `updated(row, before)` and `deleted(row)` build Zou's `<type>:new|update|delete`
  for a row, `snapshot(row)` is a row's values before an update.
- `store(events)` writes them with one insert and, once the transaction
  commits, calls each sink named in `settings.EVENT_SINKS` (dotted paths) with
  the stored rows. A rolled-back change leaves no event and calls no sink; a
  sink that raises is logged and never fails the change.
- Who: the `person` given, else the one `acting_as()` names, else the signed-in
  person of the request being served (EventActorMiddleware). A door with no
  person (a `manage.py` command run without `--as`) names itself instead: its
  events carry `via` in their data ("manage.py import_csv (os user: ...)").
- `settings.EVENTS_ENABLED = False` stores nothing (the benchmark's baseline)."""

import json
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from production.models import RESERVED_ENTITY_TYPES, ApiEvent, Entity, Project, Task
from zou_site.bulk_insert import insert_instances

logger = logging.getLogger(__name__)

# Never written into an event: secrets, and what changes on every save.
UNRECORDED_FIELDS = {"password", "last_login", "created_at", "updated_at"}
_actor = ContextVar("event_actor", default=None)
_via = ContextVar("event_via", default=None)
_collected = ContextVar("events_collected", default=None)
_UNSET = object()
# Events handed to the sinks at once when store() was told not to hold them.
SINK_CHUNK = 2_000


def enabled():
    return getattr(settings, "EVENTS_ENABLED", True)


# --- who ---------------------------------------------------------------------


@contextmanager
def acting_as(person, *, via=None):
    """Events stored inside are by `person` (a Person, or a request whose
    signed-in user is read when an event is stored); `via` names the door
    when no person acts (kept in each event's data)."""
    token, via_token = _actor.set(person), _via.set(via)
    try:
        yield
    finally:
        _actor.reset(token)
        _via.reset(via_token)


def current_via():
    """The door acting_as() names for events without a person, or None."""
    return _via.get()


def current_person():
    actor = _actor.get()
    if isinstance(actor, HttpRequest):
        # DRF writes the token's person onto the Django request it wraps.
        actor = getattr(actor, "user", None)
    return actor if getattr(actor, "is_authenticated", False) else None


class EventActorMiddleware:
    """Every request's events are by its signed-in person, whatever the door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request):
            return self.get_response(request)


# --- what ----------------------------------------------------------------------


def jsonable(value):
    """A field's value as JSON carries it (ids and dates as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def type_name(row):
    """Zou's name of a row's type: `shot`, `task-type`, `preview-file`; an
    entity is named by its kind (`episode`, `sequence`, `shot`, `asset`)."""
    if isinstance(row, Entity):
        return entity_kind(row.entity_type.name if row.entity_type_id else None)
    return kebab(type(row).__name__)


def kebab(class_name):
    """`TaskType` → `task-type`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", class_name).lower()


def entity_kind(entity_type_name):
    """`episode`, `sequence`, `shot`, or `asset` for any other entity type."""
    return entity_type_name.lower() if entity_type_name in RESERVED_ENTITY_TYPES else "asset"


def id_key(type_):
    return type_.replace("-", "_") + "_id"


def project_id_of(row):
    """The project a row belongs to (None for studio-wide rows: persons, statuses, types)."""
    if isinstance(row, Project):
        return row.pk
    if hasattr(row, "project_id"):
        return row.project_id
    task_id = project_task_id(row)
    if task_id is None:
        return None
    return Task.objects.filter(pk=task_id).values_list("project_id", flat=True).first()


def snapshot(row, many_to_many=()):
    """A row's recorded values by column (`task_status_id`), many-to-many
    fields named in `many_to_many` as sorted id lists (one query each)."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in UNRECORDED_FIELDS
    }
    for name in many_to_many:
        values[name] = sorted(str(pk) for pk in getattr(row, name).values_list("pk", flat=True))
    return values


def changes_between(before, after):
    """{field: {"old", "new"}} of what differs; a JSON field is compared key by
    key (`data.frame_in`), so a frame range reads as its own change."""
    changes = {}
    for field, old in before.items():
        new = after.get(field, old)
        if old == new:
            continue
        if isinstance(old, dict) or isinstance(new, dict):
            old_dict, new_dict = old or {}, new or {}
            if isinstance(old_dict, dict) and isinstance(new_dict, dict):
                for key in sorted(set(old_dict) | set(new_dict)):
                    if old_dict.get(key) != new_dict.get(key):
                        changes[f"{field}.{key}"] = {"old": jsonable(old_dict.get(key)), "new": jsonable(new_dict.get(key))}
                continue
        changes[field] = {"old": jsonable(old), "new": jsonable(new)}
    return changes


def event(name, *, data=None, project_id=None, person=_UNSET, object_id=None, created_at=None):
    """One unsaved event; `project_id` joins Zou's payload when known."""
    data = {key: jsonable(value) for key, value in (data or {}).items()}
    person = current_person() if person is _UNSET else person
    if person is None and _via.get() is not None:
        data.setdefault("via", _via.get())
    if project_id is not None:
        data.setdefault("project_id", str(project_id))
    return ApiEvent(
        name=name,
        data=data,
        project_id=project_id,
        person=person,
        object_id=object_id,
        created_at=created_at or timezone.now(),
    )


def row_event(row, action, *, data=None, project_id=_UNSET, **kwargs):
    type_ = type_name(row)
    project_id = project_id_of(row) if project_id is _UNSET else project_id
    payload = {id_key(type_): row.pk, **(data or {})}
    return event(f"{type_}:{action}", data=payload, project_id=project_id, object_id=row.pk, **kwargs)


def created(row, **kwargs):
    return row_event(row, "new", **kwargs)


def updated(row, before, after=None, *, recorded=(), data=None, **kwargs):
    """`<type>:update` with the fields that changed since `before` (a
    snapshot), but those `recorded` events of the row already carry; None
    when nothing is left."""
    changes = changes_between(before, after if after is not None else snapshot(row, _many_to_many_in(before, row)))
    for known in recorded:
        if known.object_id == row.pk:
            for field in known.data.get("changes", {}):
                changes.pop(field, None)
    if not changes:
        return None
    return row_event(row, "update", data={**(data or {}), "changes": changes}, **kwargs)


def update_events(row, before, **kwargs):
    """A row's update event, and for a task the events gazu listeners wait
    for: `task:status-changed`, `task:assign`, `task:unassign`."""
    update = updated(row, before, **kwargs)
    if update is None:
        return []
    found = [update]
    if isinstance(row, Task):
        found += task_follow_ups(row.pk, update.data["changes"], project_id=update.project_id, person=update.person)
    return found


def task_follow_ups(task_id, changes, *, project_id, person):
    """The task events a task:update's changes call for, by `person`."""
    found = []
    status = changes.get("task_status_id")
    if status is not None:
        found.append(
            task_status_changed(task_id, previous=status["old"], new=status["new"], project_id=project_id, person=person)
        )
    assignees = changes.get("assignees")
    if assignees is not None:
        old, new = set(assignees["old"] or []), set(assignees["new"] or [])
        found += task_assignation(
            task_id, project_id, assigned=sorted(new - old), unassigned=sorted(old - new), person=person
        )
    return found


def task_status_changed(task_id, *, previous, new, project_id, person):
    """Zou's payload: the task, its previous and new status, who changed it."""
    return event(
        "task:status-changed",
        data={
            "task_id": task_id,
            "previous_task_status_id": previous,
            "new_task_status_id": new,
            "person_id": person.pk if person else None,
        },
        project_id=project_id,
        object_id=task_id,
        person=person,
    )


def task_assignation(task_id, project_id, *, assigned=(), unassigned=(), person=_UNSET):
    """`task:assign` / `task:unassign` per person, with the assignee's id."""
    return [
        event(
            f"task:{action}",
            data={"task_id": task_id, "person_id": person_id},
            project_id=project_id,
            object_id=task_id,
            person=person,
        )
        for action, person_ids in (("assign", assigned), ("unassign", unassigned))
        for person_id in person_ids
    ]


def deleted(row, **kwargs):
    """Built before the deletion: the row still has its id."""
    return row_event(row, "delete", **kwargs)


def _many_to_many_in(values, row):
    return [field.name for field in row._meta.many_to_many if field.name in values]


def rows_events(rows, action):
    """`<type>:<action>` of many rows, their projects read in one query per
    kind of link (a bulk deletion must not query per row)."""
    rows = list(rows)
    task_ids = {project_task_id(row) for row in rows} - {None}
    projects = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "project_id")) if task_ids else {}
    return [
        row_event(row, action, project_id=project_id_of(row) if project_task_id(row) is None else projects.get(project_task_id(row)))
        for row in rows
    ]


class CreatedRows:
    """`made(Model.objects.get_or_create(...))` answers the row and keeps it
    when it was created; `rows` takes any other new rows."""

    def __init__(self):
        self.rows = []

    def __call__(self, found):
        row, was_created = found
        if was_created:
            self.rows.append(row)
        return row


@contextmanager
def recording_created():
    """Stores `<type>:new` for the rows the block made, in one insert when it
    ends without error (inside the caller's transaction)."""
    made = CreatedRows()
    yield made
    store(rows_events(made.rows, "new"))


def project_task_id(row):
    """The task a row reaches its project through (files, time spent, comments), if it has no project of its own."""
    if isinstance(row, Project) or hasattr(row, "project_id"):
        return None
    if getattr(row, "object_type", None) == "Task":
        return row.object_id
    return getattr(row, "task_id", None)


# --- storing and the sinks -----------------------------------------------------


@contextmanager
def collecting():
    """The events stored inside the block (an outer block sees them too):
    a door that writes through services leaves out what they recorded."""
    found = []
    token = _collected.set(found)
    try:
        yield found
    finally:
        _collected.reset(token)
        outer = _collected.get()
        if outer is not None:
            outer.extend(found)


def store(events, *, hold=True):
    """Insert the events (None entries skipped) in the current transaction;
    the sinks get them once it commits. Events of one call keep their order:
    each is a microsecond after the one before. `hold=False` (an import's
    chunks, 100k events in one transaction) keeps only their ids until the
    commit and reads them back then, SINK_CHUNK at a time, for the sinks."""
    events = [e for e in events if e is not None]
    if not events or not enabled():
        return []
    first = events[0].created_at
    for offset, stored in enumerate(events):
        stored.created_at = max(stored.created_at, first + timedelta(microseconds=offset))
    # No savepoint of its own: the events live and die with the change.
    with transaction.atomic(savepoint=False):
        # COPY on PostgreSQL: an import stores its events by the hundred thousand.
        insert_instances(ApiEvent, events)
        if hold:
            transaction.on_commit(lambda: call_sinks(events))
        else:
            call_sinks_on_commit(b"".join(stored.id.bytes for stored in events))  # 16 bytes an event
    collected = _collected.get()
    if collected is not None:
        collected.extend(events)
    return events


def call_sinks_on_commit(packed_ids):
    """The sinks get the events of these ids (16 bytes each) once the
    transaction commits, read back then SINK_CHUNK at a time."""
    transaction.on_commit(lambda: _call_sinks_read_back(packed_ids))


def _call_sinks_read_back(packed_ids):
    ids = [uuid.UUID(bytes=packed_ids[at : at + 16]) for at in range(0, len(packed_ids), 16)]
    for start in range(0, len(ids), SINK_CHUNK):
        call_sinks(list(ApiEvent.objects.filter(id__in=ids[start : start + SINK_CHUNK]).order_by("created_at", "id")))


def call_sinks(events):
    for path in getattr(settings, "EVENT_SINKS", []):
        try:
            import_string(path)(events)
        except Exception:
            logger.exception("Event sink %s failed on %d events", path, len(events))
