"""A Shotgun import's events (production.events): `<type>:new` for each row
created, `<type>:update` with its fields old → new for each row changed (the
many-to-many list too: a task's assignees, a shot's casting), and a task's
status and assignation events. Built from the rows the importer holds before
and after the write: no query per record (comments and previews reach their
project through their tasks, read in one query)."""

from production import events
from production.models import Entity, Person, Task


def import_events(importer, created, updated):
    actor = importer.actor
    person = actor if isinstance(actor, Person) else events.current_person()
    model = importer.model
    type_ = events.entity_kind(importer.zou_type) if issubclass(model, Entity) else events.kebab(importer.zou_type)
    projects = _projects(model, created + updated)
    found = []
    for item in created:
        row = item.new
        found.append(_event(f"{type_}:new", type_, row["id"], projects(row), person))
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
