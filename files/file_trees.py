"""File trees and the paths they give (DESIGN §6): the trees shipped and
stored on projects, the default software and output type a path is named
with, a task's folder and file names, and from a folder back to its task.

Reads and the few writes paths need (freezing a tree, creating a default
reference row); nothing here knows about HTTP but the ApiError it raises.
"""

import json
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from files import path_templates
from files.defaults import DEFAULT_FILE_STATUS, DEFAULT_FILE_TREE, DEFAULT_OUTPUT_TYPE, DEFAULT_SOFTWARE
from files.models import FileStatus, OutputType, Software
from files.path_templates import TOKENS, FileTreeError, PathValues, styled_slug
from files.querysets import last_output_revision, last_working_revision, tasks_for_paths
from files.tree_validation import validate_file_tree
from production import events
from production.models import EPISODE, RESERVED_ENTITY_TYPES, SEQUENCE, SHOT, Project, TaskType
from production.querysets import visible_projects
from zou_site.api.errors import ApiError

TREES_DIR = Path(__file__).resolve().parent / "trees"
ENTITY_KINDS = {SHOT: "shot", SEQUENCE: "sequence", EPISODE: "episode"}
ENTITY_TYPE_OF_KIND = {kind: type_name for type_name, kind in ENTITY_KINDS.items()}
# The kinds a task's entity can be (trees may also hold "scene" templates; no entity is a scene here).
TASK_KINDS = ("shot", "asset", "sequence", "episode")
# The longest path data/tasks/from-path reads: room for any real folder, and a bound on each request's work.
FROM_PATH_MAX_LENGTH = 1024
# Tokens naming the task itself; software, output type and name are the file's own choices.
TASK_TOKENS = ("Project", "Episode", "Sequence", "Shot", "AssetType", "Asset", "TaskType", "Task", "Department")


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
    the standard tree into the project (see tree_for_recording)."""
    return project.file_tree or shipped_tree(DEFAULT_FILE_TREE)


def tree_for_recording(project):
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
    before = events.snapshot(project)
    project.file_tree = tree
    project.save(update_fields=["file_tree", "updated_at"])
    events.store([events.updated(project, before)])
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
    return entity_path_values(
        task.project, task.entity, task.task_type, task.name, software=software, output_type=output_type, name=name
    )


def entity_path_values(project, entity, task_type, task_name, *, software=None, output_type=None, name=""):
    """(entity kind, PathValues) of an entity's work of a task type (Zou's
    entity routes name a task type, not a task); the entity loaded with its
    type and parents, the task type with its department."""
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
    department = task_type.department
    return kind, PathValues(
        project=project.name,
        task_type=task_type.name,
        task=task_name,
        department=department.name if department else "",
        software=software.name if software else "",
        output_type=output_type.name if output_type else "",
        name=name or "",
        **names,
    )


@contextmanager
def tree_errors_as_bad_requests():
    try:
        yield
    except FileTreeError as error:
        raise ApiError(str(error))


def paths(tree, mode, kind, values, sep, version, comment=""):
    """(folder, file name) or 400 naming what the tree lacks."""
    with tree_errors_as_bad_requests():
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
    with tree_errors_as_bad_requests():
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
    return paths(project_file_tree(task.project), mode, kind, values, sep, version, comment)


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
    readings = {}  # (tree, kind) -> (found, style) or the tree's error: projects sharing a tree read the path once
    for candidate in [project] if project is not None else visible_projects(person):
        tree = project_file_tree(candidate)
        for kind_name in [kind] if kind else TASK_KINDS:
            key = (json.dumps(tree, sort_keys=True), kind_name)
            if key not in readings:
                try:
                    readings[key] = (
                        path_templates.parse_folder_path(tree, mode, kind_name, path, sep),
                        path_templates.template_for(tree, mode, "folder_path", kind_name)[1],
                    )
                except FileTreeError as error:
                    readings[key] = error
            if isinstance(readings[key], FileTreeError):
                if project is not None and (kind or mode not in tree):
                    raise ApiError(str(readings[key]))
                continue
            found, style = readings[key]
            if found is None or ("Project" in found and styled_slug(candidate.name, style) != found["Project"]):
                continue
            task = _matching_task(person, candidate, kind_name, found, style)
            if task is not None:
                return task
    raise ApiError("No task you can see matches this path.", status_code=404)


# Outputs of an entity (Zou's entity routes name a task type, not a task)


def entity_output_task(*, person, entity, task_type, working_file=None, required=True):
    """The task an entity's output of a task type belongs to: the working
    file's when one is given; else the entity's only task of that type, or
    the one named "main" among several. None when there is none and none is
    required (a path can be named without a task)."""
    tasks = tasks_for_paths(person).filter(entity=entity, task_type=task_type)
    if working_file is not None:
        task = tasks.filter(pk=working_file.task_id).first()
        if task is None:
            message = "The working file is not on this entity's task of this type."
            raise ApiError(f"working_file_id: {message}", errors={"working_file_id": [message]})
        return task
    candidates = list(tasks.order_by("name", "id"))
    if len(candidates) > 1:
        candidates = [task for task in candidates if task.name == "main"] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates and not required:
        return None
    message = (
        "The entity has no task of this type." if not candidates
        else "The entity has several tasks of this type: give working_file_id to say which."
    )
    raise ApiError(f"task_type_id: {message}", errors={"task_type_id": [message]})


@transaction.atomic
def entity_output_file_path(*, person, entity, task_type, output_type_id=None, mode="output", name="main",
                            revision=0, sep="/"):
    """(folder, file name) of an entity's output; revision 0 means the next
    one of the entity's outputs of that task type and output type."""
    output_type = output_type_get(output_type_id)
    task = entity_output_task(person=person, entity=entity, task_type=task_type, required=False)
    if not revision:
        revision = last_output_revision(entity=entity, task_type=task_type, output_type=output_type) + 1
    kind, values = entity_path_values(
        entity.project, entity, task_type, task.name if task else "", output_type=output_type, name=name
    )
    return paths(project_file_tree(entity.project), mode, kind, values, sep, revision)
