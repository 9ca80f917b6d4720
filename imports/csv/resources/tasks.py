"""The tasks sheet (DESIGN.md §9): tasks on shots or assets, with their
assignees, times, dates and statuses."""

import datetime
from collections import Counter
from operator import itemgetter

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast, TruncDate
from import_export.fields import Field

from imports.csv.base import ABSENT, CsvResource
from imports.csv.exporting import stream_rows
from imports.csv.references import name_key
from imports.csv.sheets import csv_cell, csv_cells, text_cell
from imports.csv.widgets import DateWidget, HoursWidget, text
from production.models import EPISODE, SEQUENCE, SHOT, Entity, EntityType, Person, Project, Task, TaskStatus, TaskType
from zou_site.bulk_insert import insert_rows


def _text(column):
    return Cast(F(column), output_field=TextField())


class TaskResource(CsvResource):
    kind = "tasks"
    noun = "task"
    required_columns = ("Project", "Task Type", "Name")
    written_fields = (
        "project", "task_type", "entity", "name", "assigner", "duration", "estimation",
        "start_date", "real_start_date", "end_date", "due_date", "task_status",
    )
    entity_columns = ("Episode", "Sequence", "Shot", "Asset Type", "Asset")
    entity_fields = ("project", "entity_type", "parent", "name")

    project = text("project__name", "Project")
    department = text("task_type__department__name", "Department")
    task_type = text("task_type__name", "Task Type")
    episode = text(None, "Episode")
    sequence = text(None, "Sequence")
    shot = text(None, "Shot")
    asset_type = text(None, "Asset Type")
    asset = text(None, "Asset")
    name = text("name", "Name")
    assigner = text("assigner", "Assigner")
    assignee = text(None, "Assignee")
    duration = Field(attribute="duration", column_name="Duration", widget=HoursWidget())
    estimation = Field(attribute="estimation", column_name="Estimation", widget=HoursWidget())
    start_date = Field(attribute="start_date", column_name="Start Date", widget=DateWidget())
    real_start_date = Field(attribute="real_start_date", column_name="Real Start Date", widget=DateWidget())
    end_date = Field(attribute="end_date", column_name="End Date", widget=DateWidget())
    due_date = Field(attribute="due_date", column_name="Due Date", widget=DateWidget())
    task_status = text("task_status__name", "Task Status")

    class Meta:
        model = Task
        fields = (
            "project", "department", "task_type", "episode", "sequence", "shot", "asset_type", "asset",
            "name", "assigner", "assignee", "duration", "estimation", "start_date", "real_start_date",
            "end_date", "due_date", "task_status",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Existing tasks are loaded as tuples of these fields (in the model's
        # order, as Model.from_db() wants them) and built into instances only
        # for the rows that name them.
        self._loaded = [f.attname for f in Task._meta.concrete_fields if f.attname in {"id", *self._compared}]
        self._key_of = itemgetter(*(self._loaded.index(a) for a in ("entity_id", "task_type_id", "name")))
        self._existing = {}  # the chunk's tasks: (entity id, task type id, name) → loaded values
        self._assignees = {}  # the chunk's tasks: task id → frozenset of person ids
        self._assignee_changes = {}  # task id → the person ids a row gives

    # Import.
    def parse(self, parsed):
        references = self.references
        project = self.project_of(parsed)
        department_name = parsed.cell("Department")
        department = department_name and parsed.resolve("Department", references.department, department_name)
        entity, for_entity = self.entity_of(parsed, project) if project else (None, None)
        task_type_name = parsed.cell("Task Type", required=True)
        task_type = None
        if task_type_name and (department or not department_name):
            task_type = parsed.resolve(
                "Task Type", references.task_type, task_type_name, department or None, for_entity
            )
        name = parsed.cell("Name", required=True)
        if entity and task_type and name:
            parsed.key = (project, entity.id, task_type.id, name)
            parsed.values.update(project=project, entity=entity, task_type=task_type, name=name)
        assigner = parsed.cell("Assigner")
        if assigner is not ABSENT:
            parsed.set("assigner", assigner and parsed.resolve("Assigner", references.person, assigner) or None)
        parsed.extra = self.assignees_of(parsed)
        for column in ("Duration", "Estimation", "Start Date", "Real Start Date", "End Date", "Due Date"):
            parsed.set(self.fields_by_column[column].attribute, parsed.cell(column))
        status = parsed.cell("Task Status")
        if status:
            parsed.set("task_status", parsed.resolve("Task Status", references.task_status, status))

    def entity_of(self, parsed, project):
        """The asset, or the shot, sequence or episode, the row's task is on
        (it must exist), and the for_entity a task type created for it gets."""
        episode, sequence, shot, asset_type, asset = (parsed.cell(column) for column in self.entity_columns)
        if asset and (shot or sequence or episode):
            parsed.fail("Asset", "A task is on an asset or on a shot, not both.")
            return None, None
        if asset:
            if not asset_type:
                parsed.fail("Asset Type", "The asset's type is required.")
                return None, None
            found = self.references.entity(project, asset_type, None, asset)
            if found is None:
                parsed.fail("Asset", f"Unknown asset '{asset}' of type '{asset_type}' in '{project}'.")
            return found, "Asset"
        found, found_kind, path = None, None, []
        for kind, name, column in ((EPISODE, episode, "Episode"), (SEQUENCE, sequence, "Sequence"), (SHOT, shot, "Shot")):
            if not name:
                continue
            path.append(name)
            found, found_kind = self.references.entity(project, kind, found, name), kind
            if found is None:
                parsed.fail(column, f"Unknown {kind.lower()} '{' / '.join(path)}' in '{project}'.")
                return None, None
        if found is None:
            parsed.fail("Shot", "A task needs its Shot (with Sequence and Episode) or its Asset (with Asset Type).")
        return found, found_kind

    def assignees_of(self, parsed):
        """The person ids of the Assignee cell ("Jane Doe, John Doe"), or ABSENT."""
        labels = parsed.cell("Assignee")
        if labels is ABSENT:
            return ABSENT
        persons = [
            parsed.resolve("Assignee", self.references.person, label.strip())
            for label in (labels or "").split(",")
            if label.strip()
        ]
        return frozenset(person.id for person in persons if person)

    def prefetch_existing(self, parsed_rows):
        """The chunk's existing tasks, as tuples of the loaded fields, and
        their assignees: one query each per chunk, whatever the project's size."""
        entity_ids = {parsed.key[1] for parsed in parsed_rows if parsed.key}
        tasks = Task.objects.filter(entity_id__in=entity_ids).values_list(*self._loaded)
        self._existing = {self._key_of(row): row for row in tasks}
        through = Task.assignees.through.objects.filter(task__entity_id__in=entity_ids).values_list("task_id", "person_id")
        assignees = {}
        for task_id, person_id in through:
            assignees.setdefault(task_id, set()).add(person_id)
        self._assignees = {task_id: frozenset(ids) for task_id, ids in assignees.items()}

    def find_existing(self, parsed):
        values = self._existing.get(parsed.key[1:])
        return None if values is None else Task.from_db(Task.objects.db, self._loaded, values)

    def init_instance(self, row=None):
        task = super().init_instance(row)
        task.task_status = self.references.default_task_status
        return task

    def assign(self, instance, parsed):
        day = parsed.values.pop("real_start_date", ABSENT)
        super().assign(instance, parsed)
        if day is not ABSENT:
            # The sheet holds the day only: a start time on that same day stays.
            current = instance.real_start_date
            if day is None or current is None or current.astimezone(datetime.UTC).date() != day:
                instance.real_start_date = day and datetime.datetime.combine(day, datetime.time(), datetime.UTC)

    def apply_row(self, instance, parsed, dry_run=False):
        super().apply_row(instance, parsed, dry_run)
        if parsed.errors:
            return
        assignees = parsed.extra
        if assignees is not ABSENT and assignees != self._assignees.get(instance.pk, frozenset()):
            self._assignee_changes[instance.pk] = assignees
            self.events.assignees_changed(instance.pk, self._assignees.get(instance.pk, frozenset()), assignees)
            self.changed = True

    def after_import(self, dataset, result, **kwargs):
        # The library's bulk mode leaves many-to-many fields out.
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            self._assignee_changes = {}
        else:
            self.after_write()

    def after_write(self):
        """Assignees, written in bulk once the chunk's tasks are: the old
        links of the tasks whose assignees change deleted in one statement,
        the new ones copied in."""
        changes, self._assignee_changes = self._assignee_changes, {}
        if not changes:
            return
        Through = Task.assignees.through
        Through.objects.filter(task_id__in=[pk for pk in changes if pk in self._assignees]).delete()
        insert_rows(Through, [{"task_id": task_id, "person_id": person_id} for task_id, ids in changes.items() for person_id in ids])

    # Export.
    EXPORT_ORDER = (
        *("project__name", "entity__entity_type__name", "entity__parent__parent__name", "entity__parent__name"),
        *("entity__name", "task_type__name", "name", "id"),
    )

    def filter_export(self, queryset, **kwargs):
        # export_rows() sorts as this does, through ranks (see ordered_values).
        return queryset.order_by(*self.EXPORT_ORDER)

    def person_cells(self):
        """The Assigner cell of each person key (written: text_cell) and the
        Assignee cell of a list of person keys (_per_task's key, a memo: the
        same few assignee sets come back), the assignees in the persons'
        order (first name, last name, email). A name two persons share is
        written as their emails, so that the file imports back (names are
        matched as the import matches them)."""
        persons = Person.objects.order_by("first_name", "last_name", "email")
        persons = list(persons.annotate(key=_text("id")).values_list("key", "first_name", "last_name", "email"))
        names = [f"{first_name} {last_name}".strip() for _, first_name, last_name, _ in persons]
        shared = {name for name, count in Counter(map(name_key, names)).items() if count > 1}
        labels = {key: email if name_key(name) in shared else (name or email) for (key, _, _, email), name in zip(persons, names)}
        rank = {key: position for position, (key, *_) in enumerate(persons)}.__getitem__
        assignees = _Memo(lambda keys: text_cell(", ".join([labels[key] for key in sorted(_keys(keys), key=rank)])))
        assignees[None] = ""
        return {key: text_cell(label) for key, label in labels.items()}, assignees

    def entity_cells(self, scope):
        """{entity key: (Episode, Sequence, Shot, Asset Type, Asset)}, written
        (text_cell), for the tasks' entities, from their kind and the names of the entity, its
        parent and grandparent."""
        entities = Entity._base_manager.filter(pk__in=scope.values("entity_id")).annotate(key=_text("id"))
        rows = entities.values_list("key", "entity_type__name", "name", "parent_id", "parent__name", "parent__parent__name")
        cells = {}
        for key, kind, entity, parent_id, parent, grandparent in stream_rows(*rows.query.sql_with_params()):
            if kind == SHOT:
                row = (grandparent if parent_id else "", parent, entity, "", "")
            elif kind == SEQUENCE:
                row = (parent, entity, "", "", "")
            elif kind == EPISODE:
                row = (entity, "", "", "", "")
            else:
                row = ("", "", "", kind, entity)
            cells[key] = tuple(map(text_cell, row))
        return cells

    def ordered_values(self, scope):
        """The tasks' own values and the keys of their rows in other tables,
        in the export's order (EXPORT_ORDER), through a server-side cursor.
        Sorting 96k tasks by six names from five joined tables cost
        PostgreSQL 0.6 s, each comparison going through the collation: here
        task types and the tasks' entities are ranked once among themselves
        by those names (dense_rank: equal names, equal rank; an entity's
        project name first, which is its tasks' project: the database refuses
        a task in another project than its entity's) and the tasks sorted by
        the ranks, their name and id, which orders them alike (0.15 s). The
        other tables' names are looked up in Python.
        Ids come as text and the four dates as one written cell run
        ("start,real start,end,due"), so the driver builds no UUID, date or
        array object per row (a third of an export's Python time)."""
        keys = ("project_id", "task_type_id", "entity_id", "task_status_id", "assigner_id")
        own = ("name", "duration", "estimation", "start_date", "real_start", "end_date", "due_date", "id")
        values = scope.order_by().annotate(real_start=TruncDate("real_start_date", tzinfo=datetime.UTC))
        tasks_sql, tasks_params = values.values_list(*keys, *own).query.sql_with_params()
        entities_sql, entities_params = scope.order_by().values("entity_id").query.sql_with_params()
        entity, entity_type = (connection.ops.quote_name(m._meta.db_table) for m in (Entity, EntityType))
        project, task_type = (connection.ops.quote_name(m._meta.db_table) for m in (Project, TaskType))
        postgres = connection.vendor == "postgresql"
        as_text = "::text" if postgres else ""  # SQLite stores ids as text
        # A date's text is YYYY-MM-DD under PostgreSQL's ISO DateStyle, the
        # default and the one psycopg2 reads dates in (TO_CHAR costs a sixth
        # of the query); SQLite stores them so.
        day = "COALESCE(task.{}" + as_text + ", '')"
        days = " || ',' || ".join(day.format(column) for column in own[3:7])
        columns = ", ".join((*(f"task.{column}{as_text}" for column in keys), "task.name", "task.duration", "task.estimation"))
        through = Task.assignees.through._meta
        link_task, link_person = (through.get_field(name).column for name in ("task", "person"))
        # A task's assignees as one row each, grouped by _per_task(): joined,
        # not aggregated in the query (PostgreSQL's ARRAY_AGG per task cost a
        # fifth of the query).
        sql = f"""
            WITH entity_rank AS (
                SELECT e.id, DENSE_RANK() OVER (ORDER BY p.name, t.name, e2.name, e1.name, e.name) AS r
                FROM {entity} e
                INNER JOIN {project} p ON p.id = e.project_id
                INNER JOIN {entity_type} t ON t.id = e.entity_type_id
                LEFT OUTER JOIN {entity} e1 ON e1.id = e.parent_id
                LEFT OUTER JOIN {entity} e2 ON e2.id = e1.parent_id
                WHERE e.id IN ({entities_sql})
            ),
            task_type_rank AS (SELECT id, DENSE_RANK() OVER (ORDER BY name) AS r FROM {task_type})
            SELECT task.id{as_text}, {columns}, {days}, assignee.{link_person}{as_text}
            FROM ({tasks_sql}) task
            INNER JOIN entity_rank ON entity_rank.id = task.entity_id
            INNER JOIN task_type_rank ON task_type_rank.id = task.task_type_id
            LEFT OUTER JOIN {connection.ops.quote_name(through.db_table)} assignee ON assignee.{link_task} = task.id
            ORDER BY entity_rank.r, task_type_rank.r, task.name, task.id
        """
        return _per_task(stream_rows(sql, (*entities_params, *tasks_params)))

    def written_parts(self, scope, written):
        """The parts of a line (or the cells of a row) that come from other
        tables, each written once: `written(cells)` turns a tuple of cells
        into what export_rows() or export_lines() puts in its place. Returns
        heads ((project, task type) → Project, Department, Task Type), the
        entities' five cells, the assigner's cell by person, the assignees'
        cell by _per_task's key, the status cell and the hours cell."""
        labels, assignees = self.person_cells()
        entities = {key: written(cells) for key, cells in self.entity_cells(scope).items()}
        projects = dict(Project._base_manager.annotate(key=_text("id")).values_list("key", "name"))
        task_types = TaskType._base_manager.annotate(key=_text("id")).values_list("key", "department__name", "name")
        task_types = {key: (department, name) for key, department, name in task_types}
        status_names = dict(TaskStatus._base_manager.annotate(key=_text("id")).values_list("key", "name"))
        statuses = _Memo(lambda key: written((text_cell(status_names[key]),)))
        heads = _Memo(lambda keys: written(tuple(map(text_cell, (projects[keys[0]], *task_types[keys[1]])))))
        labels = {key: written((label,)) for key, label in labels.items()}
        labels[None] = written(("",))
        assignees = _Memo(lambda keys, cells=assignees: written((cells[keys],)))
        hours = _Memo(lambda seconds, render=HoursWidget().render: written((render(seconds),)))
        return heads, entities, labels, assignees, statuses, hours

    def export_rows(self, queryset):
        """The cells of each task (the admin's export: a Dataset of the
        columns picked). The rows of the few other tables the columns name
        (projects, task types, statuses, persons) and the tasks' entities and
        assignees are read once into maps of written cells (text_cell); the
        tasks themselves as tuples of their own values and those keys
        (ordered_values): 100k tasks read with their names joined took
        PostgreSQL and Python three times as long."""
        scope = queryset.prefetch_related(None)
        heads, entities, labels, assignees, statuses, hours = self.written_parts(scope, tuple)
        for project, task_type, entity, status, assigner, name, duration, estimation, days, persons in self.ordered_values(scope):
            yield (
                *heads[project, task_type], *entities[entity], name, *labels[assigner], *assignees[persons],
                *hours[duration], *hours[estimation], *days.split(","), *statuses[status],
            )

    def export_lines(self, queryset):
        """Each task's line of the sheet (REST and manage.py export_csv; see
        sheets.written_lines): the parts from other tables are written by
        csv.writer once each, the name per row; the same bytes as csv_lines()
        over export_rows(), at twice its pace."""
        scope = queryset.prefetch_related(None)
        heads, entities, labels, assignees, statuses, hours = self.written_parts(scope, csv_cells)
        names = _Memo(lambda name: csv_cell(text_cell(name)))  # a few names ("main", "layout") for most tasks
        for project, task_type, entity, status, assigner, name, duration, estimation, days, persons in self.ordered_values(scope):
            yield (
                f"{heads[project, task_type]},{entities[entity]},{names[name]},{labels[assigner]},{assignees[persons]},"
                f"{hours[duration]},{hours[estimation]},{days},{statuses[status]}\r\n"
            )

    def text_columns(self):
        return [self.columns().index("Name")]  # the others are written by export_rows()


def _per_task(rows):
    """The rows of ordered_values()'s query, one per task and assignee (a
    task's rows next to each other: the order ends with its id), as one per
    task without its id, its assignees as one key: None, a person's key, or a
    tuple of them in their keys' order (the same set, the same key)."""
    task = None
    for row in rows:
        if task is not None:
            if row[0] == task[0]:
                persons.append(row[-1])
                continue
            yield (*task[1:-1], _assignees_key(persons))
        task, persons = row, [row[-1]]
    if task is not None:
        yield (*task[1:-1], _assignees_key(persons))


def _assignees_key(persons):
    """A task's assignees as one memo key: None, a person's key, or a tuple of
    them in their keys' order (the same set, the same key)."""
    return persons[0] if len(persons) == 1 else tuple(sorted(persons))


def _keys(persons):
    """A task's assignees key (_per_task) as a tuple of person keys."""
    return (persons,) if persons.__class__ is str else persons


class _Memo(dict):
    """render(key) once per distinct key (durations, dates, statuses repeat),
    then a plain dict look-up."""

    def __init__(self, render):
        super().__init__()
        self.render = render

    def __missing__(self, key):
        value = self[key] = self.render(key)
        return value
