"""A small, realistic demo production for trying the admin and the API.

Every row is looked up by its natural key before being created, so seeding
again (or after a coordinator has edited the demo) adds nothing and overwrites
nothing. Assignments, comments and time spents, which have no natural key of
their own, are only made for the tasks a run creates. Each row a run creates
has its `<type>:new` event, stored in one insert at the end of the run."""

from datetime import date, timedelta
from itertools import cycle

from django.db import transaction

from production import events

from production.defaults import DONE, TO_REVIEW, TODO, WIP
from production.models import (
    Asset,
    AssetType,
    Comment,
    Department,
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

PROJECT_NAME = "Big Buck Bunny"
PROJECT_FPS = "24"
FIRST_FRAME = 1001
# A fixed calendar, so seeding on another day finds the same time spents.
START_DATE = date(2024, 1, 8)

DEPARTMENTS = {
    "Modeling": "#78909c",
    "Shading": "#ab47bc",
    "Rigging": "#8d6e63",
    "Layout": "#26a69a",
    "Animation": "#42a5f5",
    "Lighting": "#ffca28",
    "Compositing": "#ef5350",
}
# name, department, for_entity; in pipeline order, which is also the priority.
TASK_TYPES = [
    ("Modeling", "Modeling", "Asset"),
    ("Shading", "Shading", "Asset"),
    ("Rigging", "Rigging", "Asset"),
    ("Layout", "Layout", "Shot"),
    ("Animation", "Animation", "Shot"),
    ("Lighting", "Lighting", "Shot"),
    ("Compositing", "Compositing", "Shot"),
]
# first name, last name, email, role, departments (skills).
ARTISTS = [
    ("Alice", "Martin", "alice.martin@example.com", Person.Role.SUPERVISOR, ["Modeling", "Shading"]),
    ("Bruno", "Costa", "bruno.costa@example.com", Person.Role.USER, ["Modeling", "Rigging"]),
    ("Chloé", "Dubois", "chloe.dubois@example.com", Person.Role.USER, ["Layout", "Animation"]),
    ("Dev", "Patel", "dev.patel@example.com", Person.Role.SUPERVISOR, ["Animation"]),
    ("Emma", "Nowak", "emma.nowak@example.com", Person.Role.USER, ["Lighting", "Compositing"]),
    ("Farid", "Haddad", "farid.haddad@example.com", Person.Role.USER, ["Shading", "Lighting", "Compositing"]),
]
ASSETS = {
    "Characters": ["Bunny", "Frank", "Rinky", "Gimera", "Butterfly"],
    "Props": ["Apple", "Spear", "Rope", "Rock", "Acorn"],
    "Environments": ["Meadow", "Forest", "Burrow", "River", "Tree Trunk"],
}
EPISODES = {"E01": ["SQ01", "SQ02"], "E02": ["SQ03", "SQ04"]}
SHOTS_PER_SEQUENCE = 8
SHOT_LENGTHS = [48, 72, 96, 36, 120, 60, 84, 24]
# Earlier steps of the pipeline are further along: a task's progress is
# STATUS_LADDER[step_rank + entity_rank], clamped, so the demo mixes all statuses.
STATUS_LADDER = [DONE, DONE, TO_REVIEW, WIP, TODO]
ACTIVE_TASKS = 12
REVIEW_NOTES = {
    WIP: "Started, first pass by the end of the week.",
    TO_REVIEW: "Ready for review, see the latest preview.",
    DONE: "Approved, thanks!",
}


def seed_demo():
    """Create what is missing of the demo production; answer the demo's row counts."""
    with transaction.atomic(), events.recording_created() as made:
        departments = {
            name: made(Department.objects.get_or_create(name=name, defaults={"color": color}))
            for name, color in DEPARTMENTS.items()
        }
        task_types = [
            made(TaskType.objects.get_or_create(
                name=name,
                department=departments[department],
                defaults={
                    "color": DEPARTMENTS[department],
                    "priority": priority,
                    "for_entity": for_entity,
                    "for_shots": for_entity == "Shot",
                },
            ))
            for priority, (name, department, for_entity) in enumerate(TASK_TYPES, start=1)
        ]
        artists = _seed_artists(departments, made)
        project = made(Project.objects.get_or_create(
            name=PROJECT_NAME,
            defaults={
                "project_status": made(ProjectStatus.objects.get_or_create(name="Open")),
                "fps": PROJECT_FPS,
                "description": "An open movie: a big rabbit gets even with three bullying rodents.",
            },
        ))
        project.team.add(*artists)
        shots = _seed_shots(project, made)
        assets = _seed_assets(project, made)
        for index, shot in enumerate(shots):
            shot.entities_out.add(assets[index % len(assets)], assets[(index * 7 + 3) % len(assets)])
        assignments = _seed_tasks(project, task_types, shots + assets, artists)
        made.rows += [assignment.task for assignment in assignments]
        made.rows += _seed_activity(assignments)
        return demo_counts(project)


def _seed_artists(departments, made):
    artists = []
    for first_name, last_name, email, role, skills in ARTISTS:
        person = Person.objects.filter(email=email).first()
        if person is None:
            # No password: the demo must not open accounts anyone could guess;
            # an admin sets one in the admin to log in as an artist.
            person = Person.objects.create_user(email, first_name=first_name, last_name=last_name, role=role)
            person.skills.set([departments[name] for name in skills])
            made.rows.append(person)
        artists.append(person)
    return artists


def _seed_shots(project, made):
    shots = []
    frame = FIRST_FRAME
    for episode_name, sequence_names in EPISODES.items():
        episode = made(Episode.objects.get_or_create(name=episode_name, project=project, parent=None))
        for sequence_name in sequence_names:
            sequence = made(Sequence.objects.get_or_create(name=sequence_name, project=project, parent=episode))
            for number, length in zip(range(1, SHOTS_PER_SEQUENCE + 1), cycle(SHOT_LENGTHS)):
                shot = made(Shot.objects.get_or_create(
                    name=f"SH{number * 10:03d}",
                    project=project,
                    parent=sequence,
                    defaults={
                        "data": {"frame_in": frame, "frame_out": frame + length - 1},
                        "nb_frames": length,
                    },
                ))
                shots.append(shot)
                frame += length
    return shots


def _seed_assets(project, made):
    assets = []
    for type_name, names in ASSETS.items():
        asset_type = made(AssetType.objects.get_or_create(name=type_name))
        for name in names:
            asset = made(Asset.objects.get_or_create(
                name=name,
                project=project,
                entity_type=asset_type,
                parent=None,
                defaults={"description": f"{type_name[:-1]} of the film: {name}."},
            ))
            assets.append(asset)
    return assets


def _seed_tasks(project, task_types, entities, artists):
    """One task per entity and task type of its kind, assigned to an artist
    of the task type's department. Only the missing tasks are created, and
    only they are assigned: a coordinator's later changes stay."""
    statuses = {status.short_name: status for status in TaskStatus.objects.all()}
    existing = set(
        Task.objects.filter(project=project, name="main", entity__in=entities).values_list("entity_id", "task_type_id")
    )
    skilled = {
        department: [person for person, artist in zip(artists, ARTISTS) if department in artist[-1]]
        for department in DEPARTMENTS
    }
    assigner = next(person for person in artists if person.role == Person.Role.SUPERVISOR)
    assignments = []
    for entity_rank, entity in enumerate(entities):
        kind = "Shot" if isinstance(entity, Shot) else "Asset"
        steps = [task_type for task_type in task_types if task_type.for_entity == kind]
        for step_rank, task_type in enumerate(steps):
            if (entity.pk, task_type.pk) in existing:
                continue
            ladder_rank = min(step_rank + entity_rank % 4, len(STATUS_LADDER) - 1)
            task = Task(
                name="main",
                project=project,
                task_type=task_type,
                entity=entity,
                task_status=statuses[STATUS_LADDER[ladder_rank]],
                estimation=(step_rank + 1) * 8 * 3600,
                start_date=START_DATE + timedelta(weeks=step_rank),
                due_date=START_DATE + timedelta(weeks=step_rank + 2),
                assigner=assigner,
            )
            candidates = skilled[task_type.department.name]
            assignments.append(Task.assignees.through(task=task, person=candidates[entity_rank % len(candidates)]))
    Task.objects.bulk_create([assignment.task for assignment in assignments])
    Task.assignees.through.objects.bulk_create(assignments)
    return assignments


def _seed_activity(assignments):
    """A comment and a day of work from the assignee on a few of the tasks
    just created and already started; answers the rows made."""
    started = [a for a in assignments if a.task.task_status.short_name != TODO][:ACTIVE_TASKS]
    comments = Comment.objects.bulk_create(
        Comment(
            object_id=a.task.pk,
            person=a.person,
            text=REVIEW_NOTES[a.task.task_status.short_name],
            task_status=a.task.task_status,
        )
        for a in started
    )
    time_spents = TimeSpent.objects.bulk_create(
        TimeSpent(person=a.person, task=a.task, date=a.task.start_date, duration=6 * 3600) for a in started
    )
    return comments + time_spents


def demo_counts(project):
    task_ids = Task.objects.filter(project=project).values("id")
    return {
        "persons in the team": project.team.count(),
        "episodes": Episode.objects.filter(project=project).count(),
        "sequences": Sequence.objects.filter(project=project).count(),
        "shots": Shot.objects.filter(project=project).count(),
        "assets": Asset.objects.filter(project=project).count(),
        "tasks": task_ids.count(),
        "comments": Comment.objects.filter(object_id__in=task_ids).count(),
        "time spents": TimeSpent.objects.filter(task__project=project).count(),
    }
