"""The data of the generic API contract: for every data type of DESIGN §5, how
to make a row, what to create, what to change and how to filter. The tests in
test_contract.py run the same checks over each entry."""

import datetime
from dataclasses import dataclass, field
from typing import Callable

from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from production.models import (
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityType,
    Episode,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from tests.factories import make_person


@dataclass
class DataType:
    name: str
    paths: tuple
    model: type
    zou_type: str
    make: Callable  # (n, ctx) -> row
    create: Callable  # (ctx) -> body
    update: dict
    filter_field: str = "name"  # a query key whose value picks out one row
    filter_value: Callable = None  # (row) -> value for filter_field
    extra: dict = field(default_factory=dict)


def _value(row, key):
    return str(getattr(row, key))


def _entity(ctx, n, model, **fields):
    return model.objects.create(name=f"{model.__name__} {n}", project=ctx["project"], **fields)


def _task(ctx, n):
    shot = ctx["shots"][n % len(ctx["shots"])]
    return Task.objects.create(
        name=f"task {n}", project=ctx["project"], task_type=ctx["task_types"][0], task_status=ctx["todo"], entity=shot
    )


DATA_TYPES = [
    DataType(
        "persons", ("data/persons",), Person, "Person",
        make=lambda n, ctx: make_person("user", email=f"artist{n}@studio.test", first_name=f"Artist{n}"),
        create=lambda ctx: {"first_name": "Jane", "last_name": "Roe", "email": "Jane.Roe@Studio.test", "role": "user", "password": "a-Long-pass-2017"},
        update={"phone": "+33 6 00 00 00 00"},
        filter_field="email", filter_value=lambda row: row.email.upper(),
    ),
    DataType(
        "projects", ("data/projects",), Project, "Project",
        make=lambda n, ctx: Project.objects.create(name=f"Project {n}", project_status=ProjectStatus.objects.get(name="Open")),
        create=lambda ctx: {"name": "Agent 327", "fps": "24", "project_status_id": str(ProjectStatus.objects.get(name="Open").id)},
        update={"description": "A secret agent"},
    ),
    DataType(
        "project_status", ("data/project_status", "data/project-status"), ProjectStatus, "ProjectStatus",
        make=lambda n, ctx: ProjectStatus.objects.create(name=f"Status {n}"),
        create=lambda ctx: {"name": "On Hold", "color": "#ffaa00"},
        update={"color": "#000001"},
    ),
    DataType(
        "tasks", ("data/tasks",), Task, "Task",
        make=lambda n, ctx: _task(ctx, n),
        create=lambda ctx: {"name": "layout", "entity_id": str(ctx["shots"][0].id), "task_type_id": str(ctx["task_types"][0].id)},
        update={"description": "Block the camera", "estimation": 3600},
    ),
    DataType(
        "task_status", ("data/task_status", "data/task-status"), TaskStatus, "TaskStatus",
        make=lambda n, ctx: TaskStatus.objects.create(name=f"Status {n}", short_name=f"st{n}"),
        create=lambda ctx: {"name": "Retake", "short_name": "rtk", "color": "#ff0000"},
        update={"is_done": True},
        filter_field="short_name", filter_value=lambda row: row.short_name,
    ),
    DataType(
        "task_types", ("data/task_types", "data/task-types"), TaskType, "TaskType",
        make=lambda n, ctx: TaskType.objects.create(name=f"Type {n}", department=ctx["departments"][0]),
        create=lambda ctx: {"name": "Layout", "department_id": str(ctx["departments"][0].id), "for_shots": True},
        update={"priority": 5},
    ),
    DataType(
        "departments", ("data/departments",), Department, "Department",
        make=lambda n, ctx: Department.objects.create(name=f"Department {n}"),
        create=lambda ctx: {"name": "Lighting", "color": "#ffff00"},
        update={"color": "#00ff00"},
    ),
    DataType(
        "time_spents", ("data/time_spents", "data/time-spents"), TimeSpent, "TimeSpent",
        make=lambda n, ctx: TimeSpent.objects.create(task=ctx["tasks"][0], person=ctx["artist"], date=datetime.date(2017, 3, n + 1), duration=600 * (n + 1)),
        create=lambda ctx: {"task_id": str(ctx["tasks"][1].id), "person_id": str(ctx["artist"].id), "date": "2017-04-01", "duration": 3600},
        update={"duration": 7200},
        filter_field="date", filter_value=lambda row: row.date.isoformat(),
    ),
    DataType(
        "episodes", ("data/episodes",), Episode, "Episode",
        make=lambda n, ctx: _entity(ctx, n, Episode),
        create=lambda ctx: {"name": "E99", "project_id": str(ctx["project"].id)},
        update={"description": "Pilot"},
    ),
    DataType(
        "sequences", ("data/sequences",), Sequence, "Sequence",
        make=lambda n, ctx: _entity(ctx, n, Sequence, parent=ctx["episode"]),
        create=lambda ctx: {"name": "S99", "project_id": str(ctx["project"].id), "episode_id": str(ctx["episode"].id)},
        update={"description": "Chase"},
    ),
    DataType(
        "shots", ("data/shots",), Shot, "Shot",
        make=lambda n, ctx: _entity(ctx, n, Shot, parent=ctx["sequences"][1], data={"frame_in": n}),
        create=lambda ctx: {"name": "P99", "project_id": str(ctx["project"].id), "sequence_id": str(ctx["sequences"][0].id), "data": {"frame_in": 1, "frame_out": 48}},
        update={"description": "Close-up", "data": {"frame_in": 10, "frame_out": 20}},
    ),
    DataType(
        "assets", ("data/assets",), Asset, "Asset",
        make=lambda n, ctx: _entity(ctx, n, Asset, entity_type=ctx["asset_types"][0]),
        create=lambda ctx: {"name": "Lamp", "project_id": str(ctx["project"].id), "entity_type_id": str(ctx["asset_types"][0].id)},
        update={"description": "A lamp"},
    ),
    DataType(
        "asset_types", ("data/asset_types", "data/asset-types"), AssetType, "AssetType",
        make=lambda n, ctx: AssetType.objects.create(name=f"Type {n}"),
        create=lambda ctx: {"name": "Vehicles"},
        update={"name": "Cars"},
    ),
    DataType(
        "entity_types", ("data/entity_types", "data/entity-types"), EntityType, "EntityType",
        make=lambda n, ctx: EntityType.objects.create(name=f"Kind {n}"),
        create=lambda ctx: {"name": "FX"},
        update={"name": "Effects"},
    ),
    DataType(
        "entities", ("data/entities",), Entity, None,
        make=lambda n, ctx: _entity(ctx, n, Asset, entity_type=ctx["asset_types"][1]),
        create=lambda ctx: {"name": "Rock", "project_id": str(ctx["project"].id), "entity_type_id": str(ctx["asset_types"][1].id)},
        update={"canceled": True},
    ),
    DataType(
        "file_status", ("data/file_status", "data/file-status"), FileStatus, "FileStatus",
        make=lambda n, ctx: FileStatus.objects.create(name=f"File status {n}"),
        create=lambda ctx: {"name": "Approved", "color": "#00ff00"},
        update={"color": "#00aa00"},
    ),
    DataType(
        "softwares", ("data/softwares",), Software, "Software",
        make=lambda n, ctx: Software.objects.create(name=f"Software {n}", short_name=f"s{n}", file_extension="ext"),
        create=lambda ctx: {"name": "Blender", "short_name": "bl", "file_extension": "blend"},
        update={"file_extension": "blend1"},
    ),
    DataType(
        "output_types", ("data/output_types", "data/output-types"), OutputType, "OutputType",
        make=lambda n, ctx: OutputType.objects.create(name=f"Output {n}", short_name=f"o{n}"),
        create=lambda ctx: {"name": "Cache", "short_name": "cch"},
        update={"short_name": "cache"},
    ),
    DataType(
        "working_files", ("data/working_files", "data/working-files"), WorkingFile, "WorkingFile",
        make=lambda n, ctx: WorkingFile.objects.create(name="main", revision=n + 1, task=ctx["tasks"][0], entity=ctx["shots"][0]),
        create=lambda ctx: {"name": "main", "revision": 1, "task_id": str(ctx["tasks"][1].id), "entity_id": str(ctx["tasks"][1].entity_id)},
        update={"comment": "fixed the arm"},
        filter_field="revision", filter_value=lambda row: str(row.revision),
    ),
    DataType(
        "output_files", ("data/output_files", "data/output-files"), OutputFile, "OutputFile",
        make=lambda n, ctx: OutputFile.objects.create(name="cache", revision=n + 1, task=ctx["tasks"][0], entity=ctx["shots"][0]),
        create=lambda ctx: {"name": "geo", "revision": 1, "task_id": str(ctx["tasks"][1].id), "entity_id": str(ctx["tasks"][1].entity_id)},
        update={"comment": "new export"},
        filter_field="revision", filter_value=lambda row: str(row.revision),
    ),
    DataType(
        "preview_files", ("data/preview_files", "data/preview-files"), PreviewFile, "PreviewFile",
        make=lambda n, ctx: PreviewFile.objects.create(name=f"preview {n}", revision=n + 1, task=ctx["tasks"][0]),
        create=lambda ctx: {"name": "playblast", "revision": 1, "task_id": str(ctx["tasks"][1].id), "is_movie": True},
        update={"description": "first pass"},
    ),
    DataType(
        "comments", ("data/comments",), Comment, "Comment",
        make=lambda n, ctx: Comment.objects.create(object_id=ctx["tasks"][0].id, text=f"note {n}", person=ctx["artist"], task_status=ctx["todo"]),
        create=lambda ctx: {"object_id": str(ctx["tasks"][0].id), "object_type": "Task", "text": "Looks good", "person_id": str(ctx["artist"].id)},
        update={"text": "Looks great"},
        filter_field="text", filter_value=lambda row: row.text,
    ),
]

DIALECT_CASES = [(dt, path) for dt in DATA_TYPES for path in dt.paths]
