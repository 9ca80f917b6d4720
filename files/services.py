"""Files: trees on projects, working and output files, publish, thumbnails.

Writes are keyword-only `<entity>_<verb>` functions, each in one
transaction; views call these and hold no rules. The reads that path
building needs (a project's tree, the names of a task) live here too
because the writes share them.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from files import path_templates
from files.defaults import DEFAULT_FILE_STATUS, DEFAULT_FILE_TREE, DEFAULT_OUTPUT_TYPE, DEFAULT_SOFTWARE
from files.models import FileStatus, OutputFile, OutputType, Software, WorkingFile
from files.path_templates import TOKENS, FileTreeError, PathValues, styled_slug
from files.querysets import last_output_revision, last_working_revision, tasks_for_paths
from files.thumbnails import ThumbnailError, make_thumbnail
from files.tree_validation import validate_file_tree
from production.defaults import TO_REVIEW
from production.models import EPISODE, RESERVED_ENTITY_TYPES, SEQUENCE, SHOT, Project, Task, TaskType
from production.querysets import visible_projects
from production.services import comment_create, task_status_get
from zou_site.api import ApiError

TREES_DIR = Path(__file__).resolve().parent / "trees"
ENTITY_KINDS = {SHOT: "shot", SEQUENCE: "sequence", EPISODE: "episode"}
ENTITY_TYPE_OF_KIND = {kind: type_name for type_name, kind in ENTITY_KINDS.items()}
# The kinds a task's entity can be (trees may also hold "scene" templates; no entity is a scene here).
TASK_KINDS = ("shot", "asset", "sequence", "episode")
# Tokens naming the task itself; software, output type and name are the file's own choices.
TASK_TOKENS = ("Project", "Episode", "Sequence", "Shot", "AssetType", "Asset", "TaskType", "Task", "Department")


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


# File trees


def shipped_tree_names():
    return sorted(path.stem for path in TREES_DIR.glob("*.json"))


def shipped_tree(name):
    if name not in shipped_tree_names():
        raise ApiError(
            f"Unknown tree_name '{name}'. Shipped trees: {', '.join(shipped_tree_names())}.",
            errors={"tree_name": ["Unknown tree."]},
        )
    return json.loads((TREES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def project_file_tree(project):
    """The tree a project's paths are built from.

    A project without a tree uses the shipped standard one: Zou gives every
    new project (and every project imported from Shotgun) the standard tree,
    so that is what a studio expects. Reading a path stores nothing; the
    first write that records a path (a new working file, a publish) copies
    the standard tree into the project (see _tree_for_recording)."""
    return project.file_tree or shipped_tree(DEFAULT_FILE_TREE)


def _tree_for_recording(project):
    """Paths stored on files must stay reproducible: once a project records
    one, its tree is frozen into the project, so a later edit of the shipped
    file cannot change how its next revisions are named. The conditional
    update never overwrites a tree a manager set meanwhile."""
    if project.file_tree is None:
        Project.objects.filter(pk=project.pk, file_tree__isnull=True).update(
            file_tree=shipped_tree(DEFAULT_FILE_TREE), updated_at=timezone.now()
        )
        project.refresh_from_db(fields=["file_tree", "updated_at"])
    return project_file_tree(project)


@transaction.atomic
def project_set_file_tree(*, project, tree_name=None, file_tree=None):
    """Copy a shipped tree, or store a custom one, into the project: later
    changes to the shipped file do not touch it."""
    tree = shipped_tree(tree_name) if tree_name else file_tree
    try:
        validate_file_tree(tree)
    except FileTreeError as error:
        raise ApiError(str(error), errors={"file_tree": [str(error)]})
    project.file_tree = tree
    project.save(update_fields=["file_tree", "updated_at"])
    return project


# Reference rows


def _reference_row(model, row_id, field, name, **defaults):
    """The row with this id (400 naming the field if unknown), else the first
    row, created with the default name when the table is empty."""
    if row_id is not None:
        row = model.objects.filter(pk=row_id).first()
        if row is None:
            raise ApiError(f"Unknown {field} '{row_id}'.", errors={field: ["Unknown id."]})
        return row
    return model.objects.first() or model.objects.get_or_create(name=name, defaults=defaults)[0]


def software_get(software_id=None):
    name, short_name, extension = DEFAULT_SOFTWARE
    return _reference_row(
        Software, software_id, "software_id", name, short_name=short_name, file_extension=extension
    )


def output_type_get(output_type_id=None):
    name, short_name = DEFAULT_OUTPUT_TYPE
    return _reference_row(OutputType, output_type_id, "output_type_id", name, short_name=short_name)


def file_status_default():
    name, color = DEFAULT_FILE_STATUS
    return FileStatus.objects.get_or_create(name=name, defaults={"color": color})[0]


# Paths of a task


def entity_kind(entity):
    return ENTITY_KINDS.get(entity.entity_type.name, "asset")


def path_values(task, *, software=None, output_type=None, name=""):
    """(entity kind, PathValues) of a task loaded through tasks_for_paths."""
    entity = task.entity
    kind = entity_kind(entity)
    names = {}
    if kind == "asset":
        names = {"asset": entity.name, "asset_type": entity.entity_type.name}
    else:
        levels = ("shot", "sequence", "episode")
        node = entity
        for level in levels[levels.index(kind) :]:
            names[level] = node.name
            if level == "episode" or node.parent_id is None:
                break
            node = node.parent
    department = task.task_type.department
    return kind, PathValues(
        project=task.project.name,
        task_type=task.task_type.name,
        task=task.name,
        department=department.name if department else "",
        software=software.name if software else "",
        output_type=output_type.name if output_type else "",
        name=name or "",
        **names,
    )


@contextmanager
def _tree_errors_as_bad_requests():
    try:
        yield
    except FileTreeError as error:
        raise ApiError(str(error))


def _paths(tree, mode, kind, values, sep, version, comment=""):
    """(folder, file name) or 400 naming what the tree lacks."""
    with _tree_errors_as_bad_requests():
        folder = path_templates.folder_path(tree, mode, kind, values, sep)
        return folder, path_templates.file_name(tree, mode, kind, values, version, comment)


def _requested_values(task, software_id, output_type_id, name):
    output_type = output_type_get(output_type_id)
    kind, values = path_values(task, software=software_get(software_id), output_type=output_type, name=name)
    return kind, values, output_type


# Atomic: the default software or output type may be created on the way.
@transaction.atomic
def task_folder_path(*, task, mode="working", sep="/", software_id=None, output_type_id=None, name="main"):
    kind, values, _ = _requested_values(task, software_id, output_type_id, name)
    with _tree_errors_as_bad_requests():
        return path_templates.folder_path(project_file_tree(task.project), mode, kind, values, sep)


@transaction.atomic
def task_file_path(*, task, mode="working", sep="/", software_id=None, output_type_id=None, name="main",
                   version=0, comment=""):
    """(folder, file name). Version 0 means the next revision: of the output
    files for mode "output", else of the working files named `name`."""
    kind, values, output_type = _requested_values(task, software_id, output_type_id, name)
    if not version:
        if mode == "output":
            version = last_output_revision(entity=task.entity, task=task, output_type=output_type) + 1
        else:
            version = last_working_revision(task, name) + 1
    return _paths(project_file_tree(task.project), mode, kind, values, sep, version, comment)


# Working and output files


def _lock(task):
    """Holding the task row serializes every revision count of the task: two
    publishes or new working files at once take turns instead of both
    reading the same last revision."""
    Task.objects.select_for_update().filter(pk=task.pk).exists()


def _record_working_file(*, task, tree, person, name, comment, revision, mode, sep, software):
    revision = revision or last_working_revision(task, name) + 1
    if WorkingFile.objects.filter(task=task, entity=task.entity, name=name, revision=revision).exists():
        message = f"Revision {revision} of working file '{name}' already exists on this task."
        raise ApiError(message, errors={"revision": [message]})
    kind, values = path_values(task, software=software, name=name)
    folder, file_name = _paths(tree, mode, kind, values, sep, revision)
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
    return RecordedFile(working_file, folder, file_name)


@transaction.atomic
def working_file_create(*, task, person, name="main", comment="", revision=0, mode="working", sep="/",
                        software=None):
    """A new working file revision with its path from the tree; revision 0
    means the next one for (task, name)."""
    _lock(task)
    tree = _tree_for_recording(task.project)
    return _record_working_file(
        task=task, tree=tree, person=person, name=name, comment=comment, revision=revision, mode=mode,
        sep=sep, software=software or software_get(),
    )


@transaction.atomic
def working_file_update_comment(*, working_file, comment):
    working_file.comment = comment
    working_file.save(update_fields=["comment", "updated_at"])
    return working_file


@transaction.atomic
def working_file_publish(*, task, person, name="main", comment="", working_file_revision=0, sep="/",
                         software=None, output_type=None):
    """DESIGN §6 publish: the working file revision given (created if it does
    not exist yet) or the next one, the next output revision, both with
    paths from the tree; the task goes to "To review" through a comment, so
    the status history shows the publish."""
    _lock(task)
    tree = _tree_for_recording(task.project)
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
        working = RecordedFile(existing, *_paths(tree, "working", kind, values, sep, existing.revision))

    revision = last_output_revision(entity=task.entity, task=task, output_type=output_type) + 1
    kind, values = path_values(task, software=software, output_type=output_type, name=name)
    folder, file_name = _paths(tree, "output", kind, values, sep, revision, comment)
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

    preview_path = None
    if "preview" in tree:
        preview_folder, preview_name = _paths(tree, "preview", kind, values, sep, revision)
        preview_path = {"folder_path": preview_folder, "file_name": preview_name}
    comment_create(task=task, person=person, text=comment, task_status=task_status_get(short_name=TO_REVIEW))
    return Publication(working, RecordedFile(output_file, folder, file_name), preview_path)


# From a path back to its task


def _matching_task(person, project, kind, found, style):
    tasks = tasks_for_paths(person).filter(project=project)
    if kind == "asset":
        tasks = tasks.exclude(entity__entity_type__name__in=RESERVED_ENTITY_TYPES)
    else:
        tasks = tasks.filter(entity__entity_type__name=ENTITY_TYPE_OF_KIND[kind])
    if "TaskType" in found:
        # Task types are few: narrowing by them in the database spares most rows.
        type_ids = [t.id for t in TaskType.objects.all() if styled_slug(t.name, style) == found["TaskType"]]
        tasks = tasks.filter(task_type_id__in=type_ids)
    wanted = {token: value for token, value in found.items() if token in TASK_TOKENS}
    for task in tasks.iterator(chunk_size=500):
        values = path_values(task)[1]
        if all(styled_slug(getattr(values, TOKENS[token]), style) == value for token, value in wanted.items()):
            return task
    return None


def task_find_by_path(*, person, path, mode="working", sep="/", project=None, kind=None):
    """The task whose folder `path` is (or lies under), among the tasks the
    person sees. Without a project every visible project is tried, and one
    whose tree lacks the mode is passed over; without a kind every kind the
    tree has a template for is tried. What the named project's tree cannot
    do is a 400."""
    for candidate in [project] if project is not None else visible_projects(person):
        tree = project_file_tree(candidate)
        for kind_name in [kind] if kind else TASK_KINDS:
            try:
                found = path_templates.parse_folder_path(tree, mode, kind_name, path, sep)
                style = path_templates.template_for(tree, mode, "folder_path", kind_name)[1]
            except FileTreeError as error:
                if project is not None and (kind or mode not in tree):
                    raise ApiError(str(error))
                continue
            if found is None or ("Project" in found and styled_slug(candidate.name, style) != found["Project"]):
                continue
            task = _matching_task(person, candidate, kind_name, found, style)
            if task is not None:
                return task
    raise ApiError("No task you can see matches this path.", status_code=404)


# Thumbnails


def thumbnail_name(kind, object_id):
    return f"thumbnails/{kind}/{object_id}.png"


def thumbnail_save(*, kind, object_id, upload):
    """Store the thumbnail of a row; nothing is stored unless the whole
    upload was read and converted."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ApiError(
            f"file: {upload.size} bytes is over the upload limit of {settings.MAX_UPLOAD_SIZE} bytes.",
            status_code=413,
        )
    try:
        png = make_thumbnail(upload, kind, max_pixels=settings.THUMBNAIL_MAX_PIXELS)
    except ThumbnailError as error:
        raise ApiError(f"file: {error}", errors={"file": [str(error)]})
    name = thumbnail_name(kind, object_id)
    # Replace rather than let the storage pick a suffixed name: the name is the picture's address.
    default_storage.delete(name)
    default_storage.save(name, ContentFile(png))
    return name
