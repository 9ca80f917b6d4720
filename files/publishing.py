"""Working and output files and publishing (DESIGN §6): keyword-only
`<entity>_<verb>` writes, each in one transaction, recording the paths the
project's tree gives. Views call these and hold no rules."""

from dataclasses import dataclass

from django.db import transaction

from files.file_trees import file_status_default, output_type_get, path_values, paths, software_get, tree_for_recording
from files.models import OutputFile, WorkingFile
from files.querysets import last_output_revision, last_working_revision
from production import events
from production.defaults import TO_REVIEW
from production.models import Task
from production.services import comment_create, task_status_get
from zou_site.api.errors import ApiError


@dataclass(frozen=True)
class RecordedFile:
    """A working or output file with the folder and file name its path was
    built from; reads as the row itself, so a row serializer can show it."""

    row: object
    folder_path: str
    file_name: str

    def __getattr__(self, name):
        return getattr(self.row, name)


@dataclass(frozen=True)
class Publication:
    working_file: RecordedFile
    output_file: RecordedFile
    preview_path: dict | None


def lock_task_revisions(task):
    """Holding the task row serializes every revision count of the task: two
    publishes, new working files or previews at once take turns instead of both
    reading the same last revision."""
    Task.objects.select_for_update().filter(pk=task.pk).exists()


def _record_working_file(*, task, tree, person, name, comment, revision, mode, sep, software):
    revision = revision or last_working_revision(task, name) + 1
    if WorkingFile.objects.filter(task=task, entity=task.entity, name=name, revision=revision).exists():
        message = f"Revision {revision} of working file '{name}' already exists on this task."
        raise ApiError(message, errors={"revision": [message]})
    kind, values = path_values(task, software=software, name=name)
    folder, file_name = paths(tree, mode, kind, values, sep, revision)
    working_file = WorkingFile(
        name=name,
        comment=comment,
        revision=revision,
        path=sep.join([folder, file_name]),
        task=task,
        entity=task.entity,
        person=person,
        software=software,
    )
    # The revision's uniqueness was checked above and is guarded by the constraint.
    working_file.full_clean(validate_constraints=False)
    working_file.save()
    events.store([_file_event(working_file, task)])
    return RecordedFile(working_file, folder, file_name)


def _file_event(row, task):
    return events.created(row, data={"task_id": task.pk, "entity_id": task.entity_id}, project_id=task.project_id)


@transaction.atomic
def working_file_create(*, task, person, name="main", comment="", revision=0, mode="working", sep="/",
                        software=None):
    """A new working file revision with its path from the tree; revision 0
    means the next one for (task, name)."""
    lock_task_revisions(task)
    tree = tree_for_recording(task.project)
    return _record_working_file(
        task=task, tree=tree, person=person, name=name, comment=comment, revision=revision, mode=mode,
        sep=sep, software=software or software_get(),
    )


@transaction.atomic
def working_file_update_comment(*, working_file, comment):
    before = events.snapshot(working_file)
    working_file.comment = comment
    working_file.save(update_fields=["comment", "updated_at"])
    events.store([events.updated(working_file, before)])
    return working_file


@transaction.atomic
def working_file_touch(*, working_file):
    """Zou's "modified": the file was saved again, its row says when."""
    working_file.save(update_fields=["updated_at"])
    return working_file


@transaction.atomic
def entity_output_file_create(*, task, person, output_type, name="main", comment="", revision=0, mode="output",
                              sep="/", representation="", nb_elements=1, working_file=None, file_status=None):
    """An output of the task's entity (gazu's new_entity_output_file): the
    revision given, else the next of the entity's outputs of this task type
    and output type; its path from the tree."""
    lock_task_revisions(task)
    tree = tree_for_recording(task.project)
    revision = revision or last_output_revision(entity=task.entity, task_type=task.task_type, output_type=output_type) + 1
    if OutputFile.objects.filter(entity=task.entity, task=task, output_type=output_type, revision=revision).exists():
        message = f"Revision {revision} of this output type already exists on this task."
        raise ApiError(message, errors={"revision": [message]})
    software = working_file.software if working_file is not None else None
    kind, values = path_values(task, software=software, output_type=output_type, name=name)
    folder, file_name = paths(tree, mode, kind, values, sep, revision, comment)
    output_file = OutputFile(
        name=name, comment=comment, revision=revision, path=sep.join([folder, file_name]),
        file_status=file_status or file_status_default(), task=task, entity=task.entity, person=person,
        output_type=output_type, source_file=working_file, representation=representation, nb_elements=nb_elements,
    )
    # The revision's uniqueness was checked above, under the task's lock.
    output_file.full_clean(validate_constraints=False)
    output_file.save()
    events.store([_file_event(output_file, task)])
    return RecordedFile(output_file, folder, file_name)


@transaction.atomic
def working_file_publish(*, task, person, name="main", comment="", working_file_revision=0, sep="/",
                         software=None, output_type=None):
    """DESIGN §6 publish: the working file revision given (created if it does
    not exist yet) or the next one, the next output revision, both with
    paths from the tree; the task goes to "To review" through a comment, so
    the status history shows the publish."""
    lock_task_revisions(task)
    tree = tree_for_recording(task.project)
    software = software or software_get()
    output_type = output_type or output_type_get()
    existing = None
    if working_file_revision:
        existing = WorkingFile.objects.filter(task=task, name=name, revision=working_file_revision).first()
    if existing is None:
        working = _record_working_file(
            task=task, tree=tree, person=person, name=name, comment=comment, revision=working_file_revision,
            mode="working", sep=sep, software=software,
        )
    else:
        kind, values = path_values(task, software=existing.software or software, name=name)
        working = RecordedFile(existing, *paths(tree, "working", kind, values, sep, existing.revision))

    revision = last_output_revision(entity=task.entity, task=task, output_type=output_type) + 1
    kind, values = path_values(task, software=software, output_type=output_type, name=name)
    folder, file_name = paths(tree, "output", kind, values, sep, revision, comment)
    output_file = OutputFile(
        name=name,
        comment=comment,
        revision=revision,
        path=sep.join([folder, file_name]),
        file_status=file_status_default(),
        task=task,
        entity=task.entity,
        person=person,
        output_type=output_type,
        source_file=working.row,
    )
    output_file.full_clean(validate_constraints=False)
    output_file.save()
    events.store([_file_event(output_file, task)])

    preview_path = None
    if "preview" in tree:
        preview_folder, preview_name = paths(tree, "preview", kind, values, sep, revision)
        preview_path = {"folder_path": preview_folder, "file_name": preview_name}
    comment_create(task=task, person=person, text=comment, task_status=task_status_get(short_name=TO_REVIEW))
    return Publication(working, RecordedFile(output_file, folder, file_name), preview_path)
