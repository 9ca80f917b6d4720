"""Rows for the tests, made through the models the way the app makes them."""

import itertools

from production.models import (
    Asset,
    AssetType,
    Department,
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
)

PASSWORD = "S3cret-pass-for-tests"
_counter = itertools.count(1)


def make_person(role="admin", email=None, **fields):
    n = next(_counter)
    fields.setdefault("first_name", f"First{n}")
    fields.setdefault("last_name", f"Last{n}")
    return Person.objects.create_user(email or f"person{n}@studio.test", PASSWORD, role=role, **fields)


def make_production():
    """A small production: 1 project, 1 episode, 2 sequences, 3 shots, 2 assets,
    2 task types, tasks on every shot and asset."""
    open_status = ProjectStatus.objects.get(name="Open")
    project = Project.objects.create(name="Cosmos Landromat", project_status=open_status, fps="25")
    episode = Episode.objects.create(name="E01", project=project)
    seq1 = Sequence.objects.create(name="S01", project=project, parent=episode)
    seq2 = Sequence.objects.create(name="S02", project=project, parent=episode)
    shots = [
        Shot.objects.create(name=f"P0{i}", project=project, parent=seq, data={"frame_in": i * 100, "frame_out": i * 100 + 99})
        for i, seq in enumerate([seq1, seq1, seq2], start=1)
    ]
    props = AssetType.objects.create(name="Props")
    chars = AssetType.objects.create(name="Characters")
    assets = [
        Asset.objects.create(name="Tree", project=project, entity_type=props),
        Asset.objects.create(name="Victor", project=project, entity_type=chars),
    ]
    animation_dep = Department.objects.create(name="Animation")
    modeling_dep = Department.objects.create(name="Modeling")
    animation = TaskType.objects.create(name="Animation", department=animation_dep, for_shots=True, for_entity="Shot")
    shaders = TaskType.objects.create(name="Shaders", department=modeling_dep)
    todo = TaskStatus.objects.get(short_name="todo")
    tasks = [Task.objects.create(name="main", project=project, task_type=animation, task_status=todo, entity=s) for s in shots]
    tasks += [Task.objects.create(name="main", project=project, task_type=shaders, task_status=todo, entity=a) for a in assets]
    return {
        "project": project,
        "episode": episode,
        "sequences": [seq1, seq2],
        "shots": shots,
        "asset_types": [props, chars],
        "assets": assets,
        "departments": [animation_dep, modeling_dep],
        "task_types": [animation, shaders],
        "todo": todo,
        "tasks": tasks,
        "entity_type_shot": EntityType.objects.get(name="Shot"),
    }
