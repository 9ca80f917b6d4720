"""Every list that is not a data type's own `data/<type>`: the lists nested
under a row (in both URL dialects) and the helper lists. For each, the path
and how to add one more row it shows; test_nested_lists.py runs the same
contract over all of them as test_contract.py does over `data/<type>`."""

from dataclasses import dataclass
from typing import Callable

import datetime

from production.models import (
    Asset,
    AssetType,
    Comment,
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


@dataclass
class NestedList:
    path: str  # with {project}, {episode}, {sequence}, {shot}, {asset}, {task}, {asset_type}
    add: Callable  # (n, ctx) -> a new row the list shows


def _task_type(n, ctx):
    return TaskType.objects.create(name=f"Type {n}", department=ctx["departments"][0])


def _task_on(entity, n, ctx, task_type=None):
    return Task.objects.create(
        name=f"task {n}", project=ctx["project"], task_type=task_type or ctx["task_types"][0],
        task_status=ctx["todo"], entity=entity,
    )


def _asset(n, ctx, asset_type=None):
    return Asset.objects.create(name=f"Asset {n}", project=ctx["project"], entity_type=asset_type or ctx["asset_types"][0])


def _used_asset_type(n, ctx):
    asset_type = AssetType.objects.create(name=f"Kind {n}")
    _asset(n, ctx, asset_type)
    return asset_type


def _cast_asset(n, ctx):
    asset = _asset(n, ctx)
    ctx["shots"][0].entities_out.add(asset)
    return asset


def _comment(n, ctx):
    return Comment.objects.create(object_id=ctx["tasks"][0].id, text=f"note {n}", person=ctx["artist"], task_status=ctx["todo"])


def _project(n, ctx):
    return Project.objects.create(name=f"Project {n}", project_status=ProjectStatus.objects.get(name="Open"))


def _shot(n, ctx):
    return Shot.objects.create(name=f"SH{n:03}", project=ctx["project"], parent=ctx["sequences"][0])


def _sequence(n, ctx):
    return Sequence.objects.create(name=f"SQ{n:03}", project=ctx["project"], parent=ctx["episode"])


NESTED_LISTS = [
    NestedList("data/projects/{project}/episodes", lambda n, ctx: Episode.objects.create(name=f"E{n:03}", project=ctx["project"])),
    NestedList("data/projects/{project}/sequences", _sequence),
    NestedList("data/projects/{project}/shots", _shot),
    NestedList("data/projects/{project}/assets", _asset),
    NestedList("data/projects/{project}/asset_types", _used_asset_type),
    NestedList("data/projects/{project}/asset-types", _used_asset_type),
    NestedList("data/projects/{project}/task_types", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/projects/{project}/task-types", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/projects/{project}/asset_types/{asset_type}/assets", _asset),
    NestedList("data/projects/{project}/asset-types/{asset_type}/assets", _asset),
    NestedList("data/projects/open", _project),
    NestedList("data/projects/all", _project),
    NestedList("data/episodes/{episode}/sequences", _sequence),
    NestedList("data/episodes/{episode}/shots", _shot),
    NestedList("data/sequences/{sequence}/shots", _shot),
    NestedList("data/shots/{shot}/assets", _cast_asset),
    NestedList("data/shots/{shot}/tasks", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx)),
    NestedList("data/shots/{shot}/task_types", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/shots/{shot}/task-types", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/shots/all", _shot),
    NestedList("data/shots/with-tasks", lambda n, ctx: _task_on(_shot(n, ctx), n, ctx).entity),
    NestedList("data/assets/{asset}/tasks", lambda n, ctx: _task_on(ctx["assets"][0], n, ctx)),
    NestedList("data/assets/{asset}/task_types", lambda n, ctx: _task_on(ctx["assets"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/assets/{asset}/task-types", lambda n, ctx: _task_on(ctx["assets"][0], n, ctx, _task_type(n, ctx)).task_type),
    NestedList("data/assets/all", _asset),
    NestedList("data/assets/with-tasks", lambda n, ctx: _task_on(_asset(n, ctx), n, ctx).entity),
    NestedList("data/tasks/{task}/comments", _comment),
]


def path_for(nested, ctx):
    return nested.path.format(
        project=ctx["project"].id, episode=ctx["episode"].id, sequence=ctx["sequences"][0].id, shot=ctx["shots"][0].id,
        asset=ctx["assets"][0].id, task=ctx["tasks"][0].id, asset_type=ctx["asset_types"][0].id,
        person=ctx["artist"].id, task_type=ctx["task_types"][0].id,
    )


# --- issue 15, files (h15files): previews and the files of an entity ---------

from files.models import OutputFile, OutputType, PreviewFile, WorkingFile  # noqa: E402  (kept with its block)


def _preview(n, ctx):
    return PreviewFile.objects.create(name=f"preview {n}", revision=n + 1, task=ctx["tasks"][0])


def _output(n, ctx, output_type=None):
    output_type = output_type or OutputType.objects.get_or_create(name="Geometry")[0]
    task = ctx["tasks"][0]
    return OutputFile.objects.create(name=f"out {n}", revision=n + 1, task=task, entity=task.entity, output_type=output_type)


def _output_type(n, ctx):
    return _output(n, ctx, OutputType.objects.create(name=f"Output {n}")).output_type


def _working_file(n, ctx):
    task = ctx["tasks"][0]
    return WorkingFile.objects.create(name=f"work {n}", task=task, entity=task.entity)


NESTED_LISTS += [
    NestedList("data/tasks/{task}/previews", _preview),
    NestedList("data/shots/{shot}/preview-files", _preview),
    NestedList("data/projects/{project}/preview-files", _preview),
    NestedList("data/projects/{project}/output-files", _output),
    NestedList("data/entities/{shot}/output-files", _output),
    NestedList("data/entities/{shot}/output-files/last-revisions", _output),
    NestedList("data/entities/{shot}/output-types", _output_type),
    NestedList("data/entities/{shot}/working-files", _working_file),
]


# --- gazu's task lists and the artist's own view (issue 15) ------------------
# The `data/user/*` lists show the caller's own tasks: the contract runs them
# as tests/conftest.py's admin (api_client), so their rows are assigned to it.


def _assigned(task, person, short_name=None):
    task.assignees.add(person)
    if short_name:
        Task.objects.filter(pk=task.pk).update(task_status=TaskStatus.objects.get(short_name=short_name))
    return task


def _caller():
    return Person.objects.get(email="admin@studio.test")


def _mine(entity, short_name=None, task_type=False):
    def add(n, ctx):
        task = _assigned(_task_on(entity(n, ctx), n, ctx, _task_type(n, ctx) if task_type else None), _caller(), short_name)
        return task.task_type if task_type else task

    return add


def _new_type_on(entity):
    return lambda n, ctx: _task_on(entity(n, ctx), n, ctx, _task_type(n, ctx)).task_type


def _cast_asset_of_new_type(n, ctx):
    asset = _asset(n, ctx, AssetType.objects.create(name=f"Kind {n}"))
    ctx["shots"][0].entities_out.add(asset)
    return asset.entity_type


def _my_time(n, ctx, day=None):
    task = _task_on(ctx["shots"][1], n, ctx)
    return TimeSpent.objects.create(task=task, person=_caller(), date=day or datetime.date(2017, 1, 1) + datetime.timedelta(days=n), duration=60)


def _my_asset_of_new_type(n, ctx):
    asset = _asset(n, ctx, AssetType.objects.create(name=f"Kind {n}"))
    _assigned(_task_on(asset, n, ctx), _caller())
    return asset.entity_type


def _first(key):
    return lambda n, ctx: ctx[key][0]


SHOT_0, SEQUENCE_0, ASSET_0 = _first("shots"), _first("sequences"), _first("assets")

NESTED_LISTS += [
    NestedList("data/projects/{project}/tasks", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx)),
    NestedList("data/projects/{project}/comments", _comment),
    NestedList(
        "data/projects/{project}/settings/task-status",
        lambda n, ctx: TaskStatus.objects.create(name=f"Status {n}", short_name=f"st{n}"),
    ),
    NestedList("data/sequences/{sequence}/tasks", lambda n, ctx: _task_on(ctx["sequences"][0], n, ctx)),
    NestedList("data/sequences/{sequence}/shot-tasks", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx)),
    NestedList("data/sequences/{sequence}/task-types", _new_type_on(SHOT_0)),
    NestedList("data/episodes/{episode}/tasks", lambda n, ctx: _task_on(ctx["episode"], n, ctx)),
    NestedList("data/episodes/{episode}/shot-tasks", lambda n, ctx: _task_on(ctx["shots"][2], n, ctx)),
    NestedList("data/episodes/{episode}/asset-tasks", lambda n, ctx: _task_on(_cast_asset(n, ctx), n, ctx)),
    NestedList("data/episodes/{episode}/task-types", _new_type_on(SHOT_0)),
    NestedList("data/shots/{shot}/asset-types", _cast_asset_of_new_type),
    NestedList("data/entities/{shot}/task-types/{task_type}/tasks", lambda n, ctx: _task_on(ctx["shots"][0], n, ctx)),
    NestedList("data/persons/{person}/tasks", lambda n, ctx: _assigned(_task_on(ctx["shots"][0], n, ctx), ctx["artist"])),
    NestedList("data/persons/{person}/done-tasks", lambda n, ctx: _assigned(_task_on(ctx["shots"][0], n, ctx), ctx["artist"], "done")),
    NestedList(
        "data/persons/{person}/related-tasks/{task_type}",
        lambda n, ctx: _assigned(_task_on(_shot(n, ctx), n, ctx), ctx["artist"]),
    ),
    NestedList("data/user/tasks", _mine(SHOT_0)),
    NestedList("data/user/done-tasks", _mine(SHOT_0, "done")),
    NestedList("data/user/tasks-to-check", lambda n, ctx: _assigned(_task_on(ctx["shots"][0], n, ctx), ctx["artist"], "pndng")),
    NestedList("data/user/projects/open", _project),
    NestedList("data/user/projects/{project}/asset-types", _my_asset_of_new_type),
    NestedList("data/user/projects/{project}/asset-types/{asset_type}/assets", lambda n, ctx: _mine(_asset)(n, ctx).entity),
    NestedList("data/user/projects/{project}/episodes", lambda n, ctx: _mine(lambda n, ctx: Episode.objects.create(name=f"E{n:03}", project=ctx["project"]))(n, ctx).entity),
    NestedList("data/user/projects/{project}/sequences", lambda n, ctx: _mine(_sequence)(n, ctx).entity),
    NestedList("data/user/sequences/{sequence}/shots", lambda n, ctx: _mine(_shot)(n, ctx).entity),
    NestedList("data/user/sequences/{sequence}/tasks", _mine(SEQUENCE_0)),
    NestedList("data/user/sequences/{sequence}/task-types", _mine(SEQUENCE_0, task_type=True)),
    NestedList("data/user/shots/{shot}/tasks", _mine(SHOT_0)),
    NestedList("data/user/shots/{shot}/task-types", _mine(SHOT_0, task_type=True)),
    NestedList("data/user/assets/{asset}/tasks", _mine(ASSET_0)),
    NestedList("data/user/assets/{asset}/task-types", _mine(ASSET_0, task_type=True)),
    NestedList("data/user/time-spents", _my_time),
    NestedList("data/user/time-spents/2017-03-20", lambda n, ctx: _my_time(n, ctx, datetime.date(2017, 3, 20))),
]
