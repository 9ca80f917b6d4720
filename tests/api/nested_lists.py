"""Every list that is not a data type's own `data/<type>`: the lists nested
under a row (in both URL dialects) and the helper lists. For each, the path
and how to add one more row it shows; test_nested_lists.py runs the same
contract over all of them as test_contract.py does over `data/<type>`."""

from dataclasses import dataclass
from typing import Callable

from production.models import Asset, AssetType, Comment, Episode, Project, ProjectStatus, Sequence, Shot, Task, TaskType


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
