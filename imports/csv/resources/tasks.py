"""The tasks sheet (DESIGN.md §9): tasks on shots or assets, with their
assignees, times, dates and statuses."""

import datetime
from collections import Counter
from operator import itemgetter

from django.db.models import F, Prefetch, TextField
from django.db.models.functions import Cast
from import_export.fields import Field

from imports.csv.base import ABSENT, CsvResource
from imports.csv.references import name_key, person_label
from imports.csv.widgets import DateWidget, HoursWidget, text
from production.models import EPISODE, SEQUENCE, SHOT, Person, Task


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
        self.shared_names = set()

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
        return Task(task_status=self.references.default_task_status)

    def assign(self, instance, parsed):
        day = parsed.values.pop("real_start_date", ABSENT)
        super().assign(instance, parsed)
        if day is not ABSENT:
            # The sheet holds the day only: a start time on that same day stays.
            current = instance.real_start_date
            if day is None or current is None or current.astimezone(datetime.UTC).date() != day:
                instance.real_start_date = day and datetime.datetime.combine(day, datetime.time(), datetime.UTC)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        assignees = self.parsed.extra
        if assignees is not ABSENT and assignees != self._assignees.get(instance.pk, frozenset()):
            self._assignee_changes[instance.pk] = assignees
            self.events.assignees_changed(instance.pk, self._assignees.get(instance.pk, frozenset()), assignees)
            self.changed = True

    def after_import(self, dataset, result, **kwargs):
        """Assignees, written in bulk once the chunk's tasks are: the library's
        bulk mode leaves many-to-many fields out."""
        changes, self._assignee_changes = self._assignee_changes, {}
        if not changes or result.has_errors() or result.has_validation_errors():
            return
        Through = Task.assignees.through
        Through.objects.filter(task_id__in=[pk for pk in changes if pk in self._assignees]).delete()
        Through.objects.bulk_create(
            [Through(task_id=task_id, person_id=person_id) for task_id, ids in changes.items() for person_id in ids],
            batch_size=self._meta.batch_size,
        )

    # Export.
    # Only what the columns read: a 100k-task export builds smaller instances.
    EXPORTED_FIELDS = (
        *("name", "duration", "estimation", "start_date", "real_start_date", "end_date", "due_date"),
        *("project__name", "task_type__name", "task_type__department__name", "task_status__name"),
        *("entity__name", "entity__entity_type__name", "entity__parent__name", "entity__parent__parent__name"),
        *("assigner__first_name", "assigner__last_name", "assigner__email"),
    )
    EXPORT_ORDER = (
        *("project__name", "entity__entity_type__name", "entity__parent__parent__name", "entity__parent__name"),
        *("entity__name", "task_type__name", "name", "id"),
    )

    def filter_export(self, queryset, **kwargs):
        persons = Person.objects.only("first_name", "last_name", "email").order_by("first_name", "last_name", "email")
        return (
            queryset.select_related(
                "project",  # column: Project
                "task_type__department",  # columns: Task Type, Department
                "entity__entity_type",  # columns: Asset Type, and which of the entity columns apply
                "entity__parent__parent",  # columns: Sequence, Episode
                "assigner",  # column: Assigner
                "task_status",  # column: Task Status
            )
            .only(*self.EXPORTED_FIELDS)
            .prefetch_related(Prefetch("assignees", queryset=persons))  # column: Assignee
            .order_by(*self.EXPORT_ORDER)
        )

    # Rows read as tuples, in the columns' order (see export_rows).
    EXPORT_VALUES = (
        *("project__name", "task_type__department__name", "task_type__name"),
        *("entity__entity_type__name", "entity__name", "entity__parent__name", "entity__parent__parent__name"),
        *("name", "assigner__first_name", "assigner__last_name", "assigner__email"),
        *("duration", "estimation", "start_date", "real_start_date", "end_date", "due_date", "task_status__name", "task_key"),
    )

    def before_export(self, queryset=None, **kwargs):
        # A name two persons share is written as their emails, so that the
        # file imports back (names are matched as the import matches them).
        names = Counter(name_key(f"{first} {last}") for first, last in Person.objects.values_list("first_name", "last_name"))
        self.shared_names = {name for name, count in names.items() if count > 1}

    def label(self, person):
        return self.label_of(person.first_name, person.last_name, person.email)

    def label_of(self, first_name, last_name, email):
        full_name = f"{first_name} {last_name}".strip()
        return email if name_key(full_name) in self.shared_names else (full_name or email)

    def assignee_cells(self, queryset):
        """{task id: the Assignee cell} for the exported tasks, in two queries:
        every person's label once, then the links, each task's assignees in
        the persons' order (first name, last name, email)."""
        persons = Person.objects.order_by("first_name", "last_name", "email")
        persons = persons.annotate(key=_text("id")).values_list("key", "first_name", "last_name", "email")
        rank, labels = {}, {}
        for position, (person_id, first_name, last_name, email) in enumerate(persons):
            rank[person_id], labels[person_id] = position, self.label_of(first_name, last_name, email)
        links = Task.assignees.through.objects.filter(task_id__in=queryset.order_by().values("pk"))
        links = links.annotate(task_key=_text("task_id"), person_key=_text("person_id"))
        links = links.values_list("task_key", "person_key")
        by_task = {}
        for task_id, person_id in links.iterator(chunk_size=self.get_chunk_size()):
            by_task.setdefault(task_id, []).append(person_id)
        return {task_id: ", ".join(labels[p] for p in sorted(ids, key=rank.__getitem__)) for task_id, ids in by_task.items()}

    def export_rows(self, queryset):
        """The cells of each task, from values_list() and streamed: building
        100k tasks with their related rows as model instances was nine tenths
        of an export's time. Each cell is written as its column's widget
        writes it (the import reads them back so); the admin's export still
        builds instances (dehydrate_*), and a test holds both to the same cells."""
        self.before_export(queryset)
        assignees = self.assignee_cells(queryset)
        hours, day = HoursWidget().render, DateWidget().render
        assigners = {}  # email → label: a few persons assign every task
        # Ids as text, only to match the assignees: a UUID built per id and
        # per link was a fifth of the time.
        rows = queryset.prefetch_related(None).annotate(task_key=_text("id")).values_list(*self.EXPORT_VALUES)
        for row in rows.iterator(chunk_size=self.get_chunk_size()):
            (project, department, task_type, kind, entity, parent, grandparent, name, first_name, last_name, email,
             duration, estimation, start_date, real_start_date, end_date, due_date, task_status, task_id) = row
            assigner = assigners.get(email)
            if assigner is None:
                assigner = assigners[email] = "" if email is None else self.label_of(first_name, last_name, email)
            yield [
                project, department or "", task_type, *self.entity_row(kind, entity, parent, grandparent), name,
                assigner, assignees.get(task_id, ""), hours(duration), hours(estimation), day(start_date),
                day(real_start_date), day(end_date), day(due_date), task_status,
            ]

    def dehydrate_assigner(self, task):
        return "" if task.assigner is None else self.label(task.assigner)

    def dehydrate_assignee(self, task):
        return ", ".join(self.label(person) for person in task.assignees.all())

    @staticmethod
    def entity_row(kind, entity, parent, grandparent):
        """(Episode, Sequence, Shot, Asset Type, Asset) from the entity's kind
        and the names of the entity, its parent and grandparent."""
        if kind == SHOT:
            return (grandparent or "" if parent else "", parent or "", entity, "", "")
        if kind == SEQUENCE:
            return (parent or "", entity, "", "", "")
        if kind == EPISODE:
            return (entity, "", "", "", "")
        return ("", "", "", kind, entity)

    def entity_cells(self, entity):
        """(Episode, Sequence, Shot, Asset Type, Asset) for the task's entity."""
        kind = entity.entity_type.name
        parent = entity.parent
        if kind == SHOT:
            return (parent.parent.name if parent and parent.parent else "", parent.name if parent else "", entity.name, "", "")
        if kind == SEQUENCE:
            return (parent.name if parent else "", entity.name, "", "", "")
        if kind == EPISODE:
            return (entity.name, "", "", "", "")
        return ("", "", "", kind, entity.name)

    def dehydrate_episode(self, task):
        return self.entity_cells(task.entity)[0]

    def dehydrate_sequence(self, task):
        return self.entity_cells(task.entity)[1]

    def dehydrate_shot(self, task):
        return self.entity_cells(task.entity)[2]

    def dehydrate_asset_type(self, task):
        return self.entity_cells(task.entity)[3]

    def dehydrate_asset(self, task):
        return self.entity_cells(task.entity)[4]
