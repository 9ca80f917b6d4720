"""Seed one studio-scale production in bulk, for the API benchmark (issue #8).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api .venv/bin/python bench/seed_large.py

Defaults: 10 episodes x 10 sequences, 10,000 shots, 2,000 assets, 8 tasks per
entity (~96k tasks), 100 team members, assignees on most tasks, a cast of 3
assets per shot, some comments and time spents. Rows are built in Python with
their UUIDs already set, so links need no round trip, and inserted with
bulk_create; many-to-many rows go straight into the through tables. Everything
is one transaction: a failed seed leaves nothing behind.
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

# Run as a plain script from anywhere: the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zou_site.settings")

import django

django.setup()

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction

from files.models import OutputFile, PreviewFile, WorkingFile
from production.defaults import DONE, TO_REVIEW, TODO, WIP
from production.models import (
    EPISODE,
    SEQUENCE,
    SHOT,
    Comment,
    Department,
    Entity,
    EntityType,
    Person,
    Project,
    ProjectStatus,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)

DEFAULT_PROJECT = "Bench Studio Scale"
BATCH = 2000
PERSON_EMAIL = "bench-artist-{:03d}@studio.test"
FIRST_NAMES = ["Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jun"]
LAST_NAMES = ["Martin", "Costa", "Dubois", "Ivanov", "Rossi", "Haddad", "Kim", "Lopez", "Silva", "Tanaka"]
# (task type, department) in pipeline order; the order is also the priority.
SHOT_TASK_TYPES = [
    ("Storyboard", "Story"), ("Layout", "Layout"), ("Animation", "Animation"), ("FX", "FX"),
    ("Lighting", "Lighting"), ("Rendering", "Lighting"), ("Compositing", "Compositing"), ("Editing", "Editorial"),
]
ASSET_TASK_TYPES = [
    ("Concept", "Art"), ("Modeling", "Modeling"), ("Sculpting", "Modeling"), ("Texturing", "Surfacing"),
    ("Shading", "Surfacing"), ("Rigging", "Rigging"), ("Grooming", "CFX"), ("Lookdev", "Surfacing"),
]
ASSET_TYPES = ["Character", "Prop", "Environment", "Vehicle", "FX Element"]
# Status mix of a production half way through: (short_name, weight).
STATUS_MIX = [(DONE, 35), (WIP, 20), (TO_REVIEW, 10), (TODO, 30), ("retake", 5)]
START = date(2024, 1, 8)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--assets", type=int, default=2_000)
    parser.add_argument("--tasks-per-entity", type=int, default=8)
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--sequences-per-episode", type=int, default=10)
    parser.add_argument("--persons", type=int, default=100)
    parser.add_argument("--cast-per-shot", type=int, default=3, help="assets cast in each shot")
    parser.add_argument("--project-name", default=DEFAULT_PROJECT)
    parser.add_argument("--reset", action="store_true", help="delete the previous bench project first")
    parser.add_argument("--seed", type=int, default=8, help="random seed: the same mix on every run")
    return parser.parse_args()


class Clock:
    """Elapsed time per phase, printed as it goes: the slow phase shows at once."""

    def __init__(self):
        self.start = self.last = time.perf_counter()

    def tick(self, label):
        now = time.perf_counter()
        print(f"  {label:<42} {now - self.last:7.2f} s", flush=True)
        self.last = now

    def total(self):
        return time.perf_counter() - self.start


def bulk(model, rows):
    model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def through_insert(relation, pairs, left, right):
    """Many-to-many rows inserted into the through table in one bulk, instead
    of one .add() (and its existence check) per row."""
    through = relation.through
    return bulk(through, [through(**{left: a, right: b}) for a, b in pairs])


def delete_project(project):
    """Raw deletes, children first: QuerySet.delete() would load and collect
    every one of the ~100k rows in Python first."""
    t = {m.__name__: m._meta.db_table for m in (Task, Entity, Comment, TimeSpent, WorkingFile, OutputFile, PreviewFile)}
    tasks = f"SELECT id FROM {t['Task']} WHERE project_id = %s"
    entities = f"SELECT id FROM {t['Entity']} WHERE project_id = %s"
    statements = [
        (f"DELETE FROM {t['Comment']} WHERE object_id IN ({tasks})", 1),
        (f"DELETE FROM {t['TimeSpent']} WHERE task_id IN ({tasks})", 1),
        (f"DELETE FROM {t['PreviewFile']} WHERE task_id IN ({tasks})", 1),
        (f"DELETE FROM {t['OutputFile']} WHERE task_id IN ({tasks}) OR entity_id IN ({entities})", 2),
        (f"DELETE FROM {t['WorkingFile']} WHERE task_id IN ({tasks}) OR entity_id IN ({entities})", 2),
        (f"DELETE FROM {Task.assignees.through._meta.db_table} WHERE task_id IN ({tasks})", 1),
        (f"DELETE FROM {t['Task']} WHERE project_id = %s", 1),
        (
            (
                f"DELETE FROM {Entity.entities_out.through._meta.db_table} "
                f"WHERE entity_in_id IN ({entities}) OR entity_out_id IN ({entities})"
            ),
            2,
        ),
        (f"DELETE FROM {t['Entity']} WHERE project_id = %s", 1),
        (f"DELETE FROM {Project.team.through._meta.db_table} WHERE project_id = %s", 1),
    ]
    with connection.cursor() as cursor:
        for sql, n_params in statements:
            cursor.execute(sql, [project.id] * n_params)
    project.delete()


def reference_rows(args):
    """Departments, task types, statuses, entity types and the team: looked up
    by natural key and created when missing, so they are shared across runs."""
    departments = {}
    for name in {d for _, d in SHOT_TASK_TYPES + ASSET_TASK_TYPES} | {"Bench"}:
        departments[name] = Department.objects.get_or_create(name=name)[0]

    def task_types(spec, kind, count):
        spec = spec + [(f"{kind} Extra {i}", "Bench") for i in range(len(spec) + 1, count + 1)]
        rows = []
        for priority, (name, department) in enumerate(spec[:count], start=1):
            rows.append(
                TaskType.objects.get_or_create(
                    name=name,
                    department=departments[department],
                    defaults={"priority": priority, "for_shots": kind == SHOT, "for_entity": kind},
                )[0]
            )
        return rows

    statuses = {s.short_name: s for s in TaskStatus.objects.all()}
    if "retake" not in statuses:
        statuses["retake"] = TaskStatus.objects.create(name="Retake", short_name="retake", color="#ff3860")
    for short_name, _ in STATUS_MIX:
        if short_name not in statuses:  # a database seeded without the data migration
            statuses[short_name] = TaskStatus.objects.create(name=short_name.title(), short_name=short_name)
    kinds = {name: EntityType.objects.get_or_create(name=name)[0] for name in (EPISODE, SEQUENCE, SHOT)}
    asset_types = [EntityType.objects.get_or_create(name=name)[0] for name in ASSET_TYPES]

    emails = [PERSON_EMAIL.format(i) for i in range(1, args.persons + 1)]
    existing = {p.email: p for p in Person.objects.filter(email__in=emails)}
    unusable = make_password(None)  # team members only appear in lists; nobody logs in as them
    new = [
        Person(
            id=uuid.uuid4(),
            email=email,
            password=unusable,
            first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
            last_name=f"{LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]} {i + 1:03d}",
            desktop_login=f"artist{i + 1:03d}",
            role=Person.Role.SUPERVISOR if i % 10 == 0 else Person.Role.USER,
        )
        for i, email in enumerate(emails)
        if email not in existing
    ]
    bulk(Person, new)
    dept_list = list(departments.values())
    through_insert(Person.skills, [(p.id, dept_list[i % len(dept_list)].id) for i, p in enumerate(new)],
                   "person_id", "department_id")
    persons = list(existing.values()) + new
    return {
        "shot_task_types": task_types(SHOT_TASK_TYPES, SHOT, args.tasks_per_entity),
        "asset_task_types": task_types(ASSET_TASK_TYPES, "Asset", args.tasks_per_entity),
        "statuses": statuses,
        "kinds": kinds,
        "asset_types": asset_types,
        "persons": persons,
        "new_persons": len(new),
    }


def entity(project, entity_type, name, parent=None, **fields):
    return Entity(id=uuid.uuid4(), project=project, entity_type=entity_type, name=name, parent=parent, **fields)


def breakdown(args, project, ref, rng):
    """Episodes, sequences, shots spread evenly over the sequences, and assets."""
    kinds = ref["kinds"]
    episodes = [entity(project, kinds[EPISODE], f"E{e:02d}") for e in range(1, args.episodes + 1)]
    sequences = [
        entity(project, kinds[SEQUENCE], f"SQ{s:02d}", parent=episode, description=f"Sequence {s} of {episode.name}")
        for episode in episodes
        for s in range(1, args.sequences_per_episode + 1)
    ]
    shots = []
    per_sequence = -(-args.shots // max(1, len(sequences)))
    for sequence in sequences:
        for n in range(1, per_sequence + 1):
            if len(shots) == args.shots:
                break
            frames = rng.randint(24, 240)
            # Shot names repeat across sequences (SH0010 in every one), as studios name them.
            shots.append(
                entity(
                    project, kinds[SHOT], f"SH{n * 10:04d}", parent=sequence, nb_frames=frames,
                    description=f"{sequence.parent.name} {sequence.name} shot {n}",
                    data={"fps": "24", "frame_in": 1001, "frame_out": 1001 + frames - 1, "sg_cut_order": n},
                )
            )
    assets = [
        entity(
            project, ref["asset_types"][i % len(ref["asset_types"])], f"{ref['asset_types'][i % len(ref['asset_types'])].name.replace(' ', '')}_{i + 1:05d}",
            description=f"Bench asset {i + 1}", data={"bench": True},
        )
        for i in range(args.assets)
    ]
    return episodes, sequences, shots, assets


def build_tasks(project, entities, task_types, ref, rng, status_by_weight):
    persons = ref["persons"]
    tasks, assignments = [], []
    for ent in entities:
        for task_type in task_types:
            status = rng.choice(status_by_weight)
            start = START + timedelta(days=rng.randint(0, 300))
            task = Task(
                id=uuid.uuid4(), name="main", project=project, task_type=task_type, task_status=status,
                entity=ent, assigner=persons[0] if persons else None,
                estimation=rng.randint(1, 10) * 3600, duration=rng.randint(0, 12) * 3600,
                completion_rate=100 if status.is_done else rng.randint(0, 90),
                start_date=start, due_date=start + timedelta(days=rng.randint(5, 30)),
            )
            tasks.append(task)
            # Most tasks have one artist; some two; about one in seven has nobody yet.
            if persons and rng.random() < 0.86:
                picked = rng.sample(persons, 2 if rng.random() < 0.15 else 1)
                assignments += [(task, person) for person in picked]
    return tasks, assignments


def activity(tasks_assignees, statuses, rng):
    """Comments (the status history) and time spents on a tenth of the tasks."""
    comments, spents = [], []
    for task, person in tasks_assignees:
        if rng.random() >= 0.1:
            continue
        for n in range(rng.randint(1, 2)):
            comments.append(
                Comment(
                    id=uuid.uuid4(), object_id=task.id, object_type="Task", person=person,
                    task_status=statuses[WIP] if n == 0 else task.task_status,
                    text=f"Bench note {n + 1} on {task.task_type.name}",
                )
            )
        day = task.start_date
        for n in range(rng.randint(1, 3)):
            spents.append(TimeSpent(id=uuid.uuid4(), task=task, person=person, date=day + timedelta(days=n),
                                    duration=rng.randint(1, 8) * 3600))
    return comments, spents


def seed(args):
    rng = random.Random(args.seed)
    clock = Clock()
    call_command("migrate", verbosity=0)  # a new database gets its tables and reference rows
    clock.tick("migrate")
    counts = {}
    with transaction.atomic():
        previous = Project.objects.filter(name=args.project_name).first()
        if previous is not None:
            if not args.reset:
                sys.exit(f"Project {args.project_name!r} already exists: pass --reset to replace it.")
            delete_project(previous)
            clock.tick("delete the previous bench project")
        ref = reference_rows(args)
        counts["persons (new)"] = ref["new_persons"]
        clock.tick("reference rows and team")

        status_open = ProjectStatus.objects.get_or_create(name="Open")[0]
        project = Project.objects.create(name=args.project_name, project_status=status_open, fps="24",
                                         description="Seeded by bench/seed_large.py")
        counts["project team"] = through_insert(Project.team, [(project.id, p.id) for p in ref["persons"]],
                                                "project_id", "person_id")
        episodes, sequences, shots, assets = breakdown(args, project, ref, rng)
        # Parents first: the rows below point at them.
        counts["episodes"] = bulk(Entity, episodes)
        counts["sequences"] = bulk(Entity, sequences)
        counts["shots"] = bulk(Entity, shots)
        counts["assets"] = bulk(Entity, assets)
        cast = [(shot.id, a.id) for shot in shots for a in rng.sample(assets, min(args.cast_per_shot, len(assets)))]
        counts["casting links"] = through_insert(Entity.entities_out, cast, "entity_in_id", "entity_out_id")
        clock.tick("breakdown and casting")

        status_by_weight = [ref["statuses"][s] for s, weight in STATUS_MIX for _ in range(weight)]
        shot_tasks, shot_assignments = build_tasks(project, shots, ref["shot_task_types"], ref, rng, status_by_weight)
        asset_tasks, asset_assignments = build_tasks(project, assets, ref["asset_task_types"], ref, rng, status_by_weight)
        tasks, assignments = shot_tasks + asset_tasks, shot_assignments + asset_assignments
        clock.tick(f"build {len(tasks)} tasks in Python")
        counts["tasks"] = bulk(Task, tasks)
        clock.tick("insert tasks")
        counts["assignments"] = through_insert(
            Task.assignees, [(t.id, p.id) for t, p in assignments], "task_id", "person_id"
        )
        clock.tick("insert assignments")
        comments, spents = activity(assignments, ref["statuses"], rng)
        counts["comments"] = bulk(Comment, comments)
        counts["time spents"] = bulk(TimeSpent, spents)
        clock.tick("insert comments and time spents")
    if connection.vendor == "postgresql":
        # Fresh statistics, or the first benchmark runs on plans made for empty
        # tables; VACUUM sets the visibility map, without which count(*) and deep
        # OFFSETs fetch every heap row: autovacuum would do both, minutes later.
        tables = [m._meta.db_table for m in (Entity, Task, Comment, TimeSpent, Person)]
        tables += [r.through._meta.db_table for r in (Task.assignees, Entity.entities_out, Project.team)]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        clock.tick("VACUUM ANALYZE")
    return project, counts, clock.total()


def main():
    args = parse_args()
    if args.tasks_per_entity < 0 or args.shots < 0 or args.assets < 0:
        sys.exit("Counts must be positive.")
    db = connection.settings_dict
    print(f"Seeding {args.project_name!r} into {connection.vendor} database {db['NAME']!r} "
          f"({args.shots} shots, {args.assets} assets, {args.tasks_per_entity} tasks each)", flush=True)
    project, counts, elapsed = seed(args)
    print(f"\nProject {project.name} id={project.id}")
    for label, value in counts.items():
        print(f"  {label:<16} {value:>9,}")
    print(f"Seeded in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
