"""Writes with side effects: keyword-only `<entity>_<verb>` functions, each in
one transaction. Views call these; nothing here knows about HTTP."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from production import events
from production.defaults import DEFAULT_TASK_STATUSES, TO_REVIEW, TODO, WIP
from production.models import (
    Comment,
    Entity,
    Person,
    Task,
    TaskStatus,
    TimeSpent,
)


def task_status_get(*, short_name):
    """A default status by short name, recreated if someone deleted it."""
    for name, short, color, is_default, is_done, is_reviewable in DEFAULT_TASK_STATUSES:
        if short == short_name:
            status, _ = TaskStatus.objects.get_or_create(
                short_name=short,
                defaults=dict(
                    name=name, color=color, is_default=is_default, is_done=is_done, is_reviewable=is_reviewable
                ),
            )
            return status
    return TaskStatus.objects.get(short_name=short_name)


def task_status_default():
    """The status of a new task given none: the oldest status marked default,
    else Zou's Todo (recreated if deleted). The one rule for the API, the
    admin and both imports."""
    status = TaskStatus.objects.filter(is_default=True).order_by("created_at", "pk").first()
    return status or task_status_get(short_name=TODO)


def _locked(task):
    return Task.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def comment_create(*, task, person, text="", task_status=None, data=None, created_at=None):
    """Post a comment; with a status, the task takes it (the comment list is the status history)."""
    task = _locked(task)
    before = events.snapshot(task)
    comment = Comment(
        object_id=task.id,
        object_type="Task",
        text=text or "",
        data=data,
        task_status=task_status or task.task_status,
        person=person,
    )
    comment.full_clean()
    comment.save()
    if created_at is not None:
        Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        comment.created_at = created_at
    if task_status is not None and task_status.pk != task.task_status_id:
        task.task_status = task_status
        if task_status.short_name == WIP and task.real_start_date is None:
            task.real_start_date = timezone.now()
        if task_status.is_done and task.end_date is None:
            task.end_date = timezone.localdate()
        task.save()
    comment_data = {"task_id": task.pk, "task_status_id": comment.task_status_id, "person_id": person.pk if person else None}
    events.store([events.created(comment, data=comment_data, project_id=task.project_id), *events.update_events(task, before)])
    return comment


@transaction.atomic
def task_start(*, task, person=None):
    """Set the task to WIP; real_start_date is set the first time only."""
    task = _locked(task)
    before = events.snapshot(task)
    wip = task_status_get(short_name=WIP)
    task.task_status = wip
    if task.real_start_date is None:
        task.real_start_date = timezone.now()
    task.save()
    events.store(events.update_events(task, before))
    return task


@transaction.atomic
def task_to_review(*, task):
    before = events.snapshot(task)
    task.task_status = task_status_get(short_name=TO_REVIEW)
    task.save(update_fields=["task_status", "updated_at"])
    events.store(events.update_events(task, before))
    return task


# Every write that touches a task's assignees or time locks the task rows
# first, in id order: the same lock order on every path means two requests on
# one task queue up instead of deadlocking, and totals are computed under lock.
MAX_DURATION = 2**31 - 1


def _lock_tasks(task_ids):
    return list(Task.objects.select_for_update().filter(id__in=task_ids).order_by("id").values_list("id", flat=True))


@transaction.atomic
def task_assign(*, task, person, assigner=None):
    tasks_assign_person(person=person, tasks=[task], assigner=assigner)
    return Task.objects.get(pk=task.pk)


@transaction.atomic
def tasks_assign_person(*, person, tasks, assigner=None):
    """Assign one person to many tasks with one insert of the missing links."""
    through = Task.assignees.through
    task_ids = _lock_tasks([t.id for t in tasks])
    before = _assignees(task_ids)
    through.objects.bulk_create(
        [through(task_id=tid, person_id=person.id) for tid in task_ids],
        ignore_conflicts=True,
    )
    if assigner is not None:
        Task.objects.filter(id__in=task_ids, assigner__isnull=True).update(assigner=assigner)
    Task.objects.filter(id__in=task_ids).update(updated_at=timezone.now())
    _store_assignation(before, {tid: before[tid] | {str(person.id)} for tid in task_ids})
    return task_ids


@transaction.atomic
def tasks_clear_assignation(*, tasks, person=None):
    """Remove one person (or everyone) from the tasks' assignees; answer the task ids."""
    through = Task.assignees.through
    task_ids = _lock_tasks([t.id for t in tasks])
    before = _assignees(task_ids)
    links = through.objects.filter(task_id__in=task_ids)
    if person is not None:
        links = links.filter(person=person)
    links.delete()
    Task.objects.filter(id__in=task_ids).update(updated_at=timezone.now())
    _store_assignation(before, {tid: before[tid] - {str(person.id)} if person else set() for tid in task_ids})
    return task_ids


def _assignees(task_ids):
    """{task id: {person ids}} of locked tasks, their project under `None`: one query."""
    found = {tid: set() for tid in task_ids}
    found[None] = dict(Task.objects.filter(id__in=task_ids).values_list("id", "project_id"))
    for task_id, person_id in Task.assignees.through.objects.filter(task_id__in=task_ids).values_list("task_id", "person_id"):
        found[task_id].add(str(person_id))
    return found


def _store_assignation(before, after):
    """A task:update with assignees old → new, and task:assign / task:unassign, per task changed."""
    projects, recorded = before[None], []
    for task_id, new in after.items():
        old = before[task_id]
        if old == new:
            continue
        changes = {"assignees": {"old": sorted(old), "new": sorted(new)}}
        recorded.append(_task_update(task_id, projects[task_id], changes))
        recorded += events.task_assignation(
            task_id, projects[task_id], assigned=sorted(new - old), unassigned=sorted(old - new)
        )
    events.store(recorded)


def _task_update(task_id, project_id, changes):
    return events.event(
        "task:update", data={"task_id": task_id, "changes": changes}, project_id=project_id, object_id=task_id
    )


@transaction.atomic
def tasks_schedule(*, tasks, due_date):
    """Set the due date of many tasks at once; answer the task ids."""
    task_ids = _lock_tasks([t.id for t in tasks])
    before = Task.objects.filter(id__in=task_ids).exclude(due_date=due_date).values_list("id", "project_id", "due_date")
    new = events.jsonable(due_date)
    recorded = [
        _task_update(pk, project_id, {"due_date": {"old": events.jsonable(old), "new": new}})
        for pk, project_id, old in before
    ]
    Task.objects.filter(id__in=task_ids).update(due_date=due_date, updated_at=timezone.now())
    events.store(recorded)
    return task_ids


@transaction.atomic
def time_spent_set(*, task, person, date, duration, add=False):
    """Set (or add to) a person's time on a task for a day. The task row is
    locked first, so concurrent additions and the task's total are exact;
    then the person's, so their day's total across tasks is checked exactly."""
    _lock_tasks([task.id])
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
    time_spent = TimeSpent.objects.filter(task=task, person=person, date=date).first()
    before = None
    if time_spent is None:
        time_spent = TimeSpent(task=task, person=person, date=date, duration=duration)
    else:
        before = events.snapshot(time_spent)
        time_spent.duration = time_spent.duration + duration if add else duration
    time_spent.full_clean()
    time_spent.save()
    total = min(TimeSpent.objects.filter(task=task).aggregate(total=Sum("duration"))["total"] or 0, MAX_DURATION)
    old_total = Task.objects.filter(pk=task.pk).values_list("duration", flat=True).get()
    Task.objects.filter(pk=task.pk).update(duration=total, updated_at=timezone.now())
    ids = {"task_id": task.pk, "person_id": person.pk}
    recorded = [
        events.created(time_spent, data=ids, project_id=task.project_id)
        if before is None
        else events.updated(time_spent, before, data=ids, project_id=task.project_id)
    ]
    if old_total != total:
        recorded.append(_task_update(task.pk, task.project_id, {"duration": {"old": old_total, "new": total}}))
    events.store(recorded)
    return time_spent


@transaction.atomic
def tasks_create_for_entities(*, task_type, entities, task_status=None, name="main"):
    """One task of a type per entity, skipping those that already have it."""
    status = task_status or task_status_default()
    entities = list(entities)
    existing = set(
        Task.objects.filter(task_type=task_type, name=name, entity__in=entities).values_list("entity_id", flat=True)
    )
    Task.objects.bulk_create(
        [
            Task(name=name, project_id=e.project_id, task_type=task_type, task_status=status, entity=e)
            for e in entities
            if e.id not in existing
        ],
        ignore_conflicts=True,
    )
    tasks = list(Task.objects.filter(task_type=task_type, name=name, entity__in=entities).prefetch_related("assignees"))
    events.store([events.created(task) for task in tasks if task.entity_id not in existing])
    return tasks


@transaction.atomic
def entities_set_canceled(*, entities, canceled):
    """Cancel (or bring back) many entities at once; answers how many changed."""
    changing = entities.exclude(canceled=canceled)
    rows = list(changing.values_list("id", "project_id", "entity_type__name"))
    count = Entity.objects.filter(id__in=[row[0] for row in rows]).update(canceled=canceled, updated_at=timezone.now())
    changes = {"canceled": {"old": not canceled, "new": canceled}}
    events.store(
        [
            events.event(f"{kind}:update", data={f"{kind}_id": pk, "changes": changes}, project_id=project_id, object_id=pk)
            for pk, project_id, kind in ((pk, project_id, events.entity_kind(type_name)) for pk, project_id, type_name in rows)
        ]
    )
    return count


# Files hang on tasks through the files app, which depends on this one: they
# are reached by name, previews before outputs before working files (each
# protects the one before it).
FILE_MODELS_IN_DELETION_ORDER = ("PreviewFile", "OutputFile", "WorkingFile")


@transaction.atomic
def entity_delete(*, entity, force=False):
    """Delete an entity. With force, its tasks and what hangs on them go too;
    without, anything pointing at it makes the deletion a 400."""
    recorded = [events.deleted(entity)]
    if force:
        task_ids = list(Task.objects.filter(entity=entity).values_list("id", flat=True))
        recorded += _tasks_deleted(task_ids, entity.project_id)
        _delete_with_dependents(task_ids, entity=entity)
    # Its casting links, both ways, go with it (EntityLink cascades) in one DELETE.
    entity.delete()
    events.store(recorded)


@transaction.atomic
def task_delete(*, task, force=False):
    """Delete a task; with force, its comments, time and files go too. Without
    force a task that has comments is kept (they are its history)."""
    comments = Comment.objects.filter(object_id=task.id)
    if not force and comments.exists():
        raise ValidationError(
            f"This task cannot be deleted: {comments.count()} comments still point to it. "
            "Use ?force=true to delete it with them."
        )
    recorded = events.deleted(task)
    if force:
        _delete_with_dependents([task.id])
    else:
        task.delete()
    events.store([recorded])


def _tasks_deleted(task_ids, project_id):
    return [events.event("task:delete", data={"task_id": pk}, project_id=project_id, object_id=pk) for pk in task_ids]


def _delete_with_dependents(task_ids, entity=None):
    """Delete tasks with what hangs on them: comments, time spent, files (and
    the files of `entity` that name no task)."""
    Comment.objects.filter(object_id__in=task_ids).delete()
    TimeSpent.objects.filter(task_id__in=task_ids).delete()
    # An entity that stays must not name a main preview that is gone.
    previews = apps.get_model("files", "PreviewFile").objects.filter(task_id__in=task_ids)
    Entity.objects.filter(preview_file_id__in=previews.values("pk")).update(preview_file_id=None, updated_at=timezone.now())
    for model_name in FILE_MODELS_IN_DELETION_ORDER:
        model = apps.get_model("files", model_name)
        links = Q(task_id__in=task_ids)
        if entity is not None and any(f.name == "entity" for f in model._meta.fields):
            links |= Q(entity=entity)
        model.objects.filter(links).delete()
    Task.objects.filter(id__in=task_ids).delete()


@transaction.atomic
def tasks_delete(*, project, tasks):
    """Delete many tasks of one project with what hangs on them, all or
    nothing: a task of another project refuses the whole batch."""
    tasks = list(tasks)
    foreign = sorted(str(task.id) for task in tasks if task.project_id != project.id)
    if foreign:
        raise ValidationError({"task_ids": [f"Not tasks of the project {project.name}: {', '.join(foreign)}."]})
    task_ids = _lock_tasks([task.id for task in tasks])
    _delete_with_dependents(task_ids)
    events.store(_tasks_deleted(task_ids, project.id))
    return task_ids


# --- a project's team (gazu's project.add_person_to_team, remove_person_from_team) ---


@transaction.atomic
def project_team_add(*, project, person):
    """Put a person on the project's team (nothing changes if already on it);
    answer the project."""
    before = events.snapshot(project, ["team"])
    project.team.add(person)
    project.save(update_fields=["updated_at"])
    events.store([events.updated(project, before)])
    return project


@transaction.atomic
def project_team_remove(*, project, person):
    """Take a person off the project's team: their assignments stay (an
    assigned person off the team no longer sees the task, as everywhere)."""
    before = events.snapshot(project, ["team"])
    project.team.remove(person)
    project.save(update_fields=["updated_at"])
    events.store([events.updated(project, before)])
    return project


@transaction.atomic
def comments_create(*, comments):
    """Post many comments at once (gazu's batch comments), all or nothing:
    each a dict of comment_create's keywords, in order. The tasks are locked
    first, in id order, as every write on many tasks does."""
    _lock_tasks([comment["task"].id for comment in comments])
    return [comment_create(**comment) for comment in comments]


def _status_from_comments(task):
    """A task's status is its latest comment's (its history), else the default."""
    latest = Comment.objects.filter(object_id=task.id).order_by("-created_at", "-id").first()
    before = events.snapshot(task)
    task.task_status_id = latest.task_status_id if latest else task_status_default().pk
    task.save(update_fields=["task_status", "updated_at"])
    return events.update_events(task, before)


@transaction.atomic
def comment_move(*, comment, target):
    """Move a comment to another task of the same entity (gazu's
    move_comment_to_task), keeping its date, text and status; each task
    then has the status of its latest comment. A comment that carries
    previews stays: previews belong to the task's revisions."""
    source = Task.objects.get(pk=comment.object_id)
    if target.pk == source.pk:
        raise ValidationError({"target_task_id": ["The comment is already on this task."]})
    if target.entity_id != source.entity_id:
        raise ValidationError({"target_task_id": ["A comment moves only to another task of the same entity."]})
    if comment.preview_file_id is not None or comment.preview_files.exists():
        raise ValidationError({"comment_id": ["A comment with previews cannot be moved: they belong to the task's revisions."]})
    _lock_tasks([source.id, target.id])
    before = events.snapshot(comment)
    comment.object_id = target.id
    comment.save(update_fields=["object_id", "updated_at"])
    moved = events.updated(comment, before, project_id=target.project_id)
    events.store([moved, *_status_from_comments(source), *_status_from_comments(target)])
    return comment
