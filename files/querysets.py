"""Query shaping for the file routes: which rows a person sees, and the
joins path building needs (each commented with the token that needs it)."""

from django.db.models import Exists, Max, OuterRef

from files.models import OutputFile, PreviewFile, WorkingFile
from production.models import Asset, Shot
from production.querysets import restrict_to_projects, visible_entities, visible_persons, visible_projects, visible_tasks


def tasks_for_paths(person):
    return visible_tasks(person).select_related(
        "project",  # <Project>, and the project's file_tree
        "task_type__department",  # <TaskType>, <Department>
        "entity__entity_type",  # the entity kind, <AssetType>
        "entity__parent__parent",  # <Sequence> and <Episode> of a shot
    )


def visible_working_files(person):
    return restrict_to_projects(WorkingFile.objects.all(), person, "task__project")


def visible_preview_files(person):
    return restrict_to_projects(PreviewFile.objects.all(), person, "task__project")


def working_files_of_task(task):
    return WorkingFile.objects.filter(task=task).order_by("name", "-revision")


def last_working_files_of_task(task):
    """The highest revision of each working-file name, in one query."""
    higher = WorkingFile.objects.filter(
        task=OuterRef("task"), name=OuterRef("name"), revision__gt=OuterRef("revision")
    )
    return working_files_of_task(task).filter(~Exists(higher))


def last_output_files(outputs):
    """Of the outputs, the highest revision of each (entity, task type,
    output type, name, representation), in one query."""
    higher = OutputFile.objects.filter(
        entity=OuterRef("entity"), task__task_type=OuterRef("task__task_type"), output_type=OuterRef("output_type"),
        name=OuterRef("name"), representation=OuterRef("representation"), revision__gt=OuterRef("revision"),
    )
    return outputs.filter(~Exists(higher))


def last_revision(queryset):
    return queryset.aggregate(last=Max("revision"))["last"] or 0


def last_working_revision(task, name):
    return last_revision(WorkingFile.objects.filter(task=task, name=name))


def last_output_revision(*, entity, output_type, task=None, task_type=None):
    """Output revisions count per (entity, task, output type); Zou's entity
    route names a task type instead of a task."""
    outputs = OutputFile.objects.filter(entity=entity, output_type=output_type)
    if task is not None:
        outputs = outputs.filter(task=task)
    if task_type is not None:
        outputs = outputs.filter(task__task_type=task_type)
    return last_revision(outputs)


def thumbnail_owners(person, kind):
    """The rows of a thumbnail kind the person sees."""
    return {
        "persons": lambda: visible_persons(person),
        "projects": lambda: visible_projects(person),
        "shots": lambda: visible_entities(person, Shot.objects.all()),
        "assets": lambda: visible_entities(person, Asset.objects.all()),
        # task: who may replace the picture depends on the task's assignees.
        "working-files": lambda: visible_working_files(person).select_related("task"),
        "preview-files": lambda: visible_preview_files(person).select_related("task"),
    }[kind]()

