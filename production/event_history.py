"""Reading the event record: the last events (gazu.sync.get_last_events) and
a row's history, narrowed to what the person sees. Both doors (the API and
the admin's History page) read through here."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from production.models import ApiEvent
from production.querysets import restrict_to_projects, sees_all_projects

# Zou's only_files: the events of stored pictures and movies.
FILE_EVENTS = ("preview-file:add-file", "organisation:set-thumbnail", "person:set-thumbnail", "project:set-thumbnail")
MAX_LIMIT = 20_000


class BadParameter(ValueError):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name


def parse_moment(name, text):
    """gazu's dates: `YYYY-mm-dd` or `YYYY-mm-ddTHH:MM:SS` (UTC when no offset given)."""
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise BadParameter(name, f"'{text}' is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.")
        moment = datetime.datetime.combine(day, datetime.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def visible_events(person):
    """Every event for admins and managers; the others see their projects'
    only (studio-wide events, persons and statuses, have no project)."""
    queryset = ApiEvent.objects.all()
    if sees_all_projects(person):
        return queryset
    return restrict_to_projects(queryset.filter(project__isnull=False), person)


def last_events(person, *, limit=100, project_id=None, after=None, before=None, only_files=False, name=None,
                person_id=None, cursor=None):
    """Newest first, as Zou answers. `cursor` (an event id) pages on: the
    events older than it, ties on the same instant broken by id."""
    queryset = visible_events(person)
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    if after is not None:
        queryset = queryset.filter(created_at__gt=after)
    if before is not None:
        queryset = queryset.filter(created_at__lt=before)
    if only_files:
        queryset = queryset.filter(name__in=FILE_EVENTS)
    if name is not None:
        queryset = queryset.filter(name=name)
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if cursor is not None:
        mark = ApiEvent.objects.filter(pk=cursor).values_list("created_at", "id").first()
        if mark is None:
            raise BadParameter("cursor_event_id", f"No event {cursor}.")
        queryset = queryset.filter(Q(created_at__lt=mark[0]) | Q(created_at=mark[0], id__lt=mark[1]))
    rows = queryset.order_by("-created_at", "-id").values("id", "created_at", "name", "person_id", "project_id", "data")
    return [
        {
            "id": str(row["id"]),
            "created_at": row["created_at"].isoformat(),
            "name": row["name"],
            "user_id": str(row["person_id"]) if row["person_id"] else None,
            "project_id": str(row["project_id"]) if row["project_id"] else None,
            "data": row["data"],
        }
        for row in rows[:limit]
    ]


def row_history(object_id):
    """A row's changes, newest first: one entry per field an update changed
    (old → new), and its creation (field None); who and when for each."""
    events = (
        ApiEvent.objects.filter(Q(name__endswith=":new") | Q(name__endswith=":update"), object_id=object_id)
        .select_related("person")
        .order_by("-created_at", "-id")
    )
    return [
        {
            "event_id": str(event.id),
            "name": event.name,
            "created_at": event.created_at.isoformat(),
            "person_id": str(event.person_id) if event.person_id else None,
            "person_name": person_name(event.person),
            # A door with no person (manage.py without --as) names itself.
            "via": event.data.get("via"),
            "field": field,
            "old": old,
            "new": new,
        }
        for event, field, old, new in field_changes(events)
    ]


def field_changes(events):
    """(event, field, old, new) per field each update changed, in the
    fields' order; (event, None, None, None) for any other event (a creation,
    a deletion)."""
    for event in events:
        if not event.name.endswith(":update"):
            yield event, None, None, None
            continue
        for field, change in sorted(event.data.get("changes", {}).items()):
            yield event, field, change.get("old"), change.get("new")


def person_name(person):
    if person is None:
        return None
    return person.full_name or person.email
