"""Look-up maps for what a sheet's rows name: projects, episodes, sequences,
asset types, departments, task types, statuses, persons.

Each map is filled by one query the first time an import needs it (entities
one query per project), then grown as missing rows are created, so resolving
a reference never costs a query per row. Only what §9 allows is created on
demand; persons and the shots or assets a task is on must already exist.
"""

from collections import Counter, defaultdict
from functools import cached_property

from django.core.exceptions import ValidationError

from production.models import (
    EPISODE,
    RESERVED_ENTITY_TYPES,
    SEQUENCE,
    SHOT,
    Department,
    Entity,
    EntityType,
    Person,
    Project,
    ProjectStatus,
    TaskStatus,
    TaskType,
)
from production.services import task_status_default

DEFAULT_PROJECT_STATUS = "Open"


class BadReference(ValueError):
    """A row names something that cannot be found or created; the message says why."""


def person_label(person):
    return person.full_name or person.email


def created_label(obj):
    """A created row as the preview names it: entities by their path."""
    if isinstance(obj, Entity):
        names = [obj.project.name, *([obj.parent.name] if obj.parent_id else []), obj.name]
        if obj.parent_id and obj.parent.parent_id:
            names.insert(1, obj.parent.parent.name)
        return " / ".join(names)
    return str(obj)


def name_key(text):
    return " ".join(text.split()).lower()


class References:
    def __init__(self, entity_fields=None, mapped_types=None):
        # What was created on demand, by kind: a dry run reports it too, and
        # the admin's preview names each row ("Cosmos / E01 / SQ03").
        self.created = Counter()
        self.created_names = defaultdict(list)
        self._created_rows = []  # since take_created_rows(): their events
        self._entities = {}
        # Kinds that only point at entities load their keys, not whole rows;
        # a kind may load only the entity types it names (a shots sheet: the
        # episodes and sequences, not every shot of the project).
        self._entity_fields = entity_fields
        self._mapped_types = mapped_types

    def _create(self, obj, kind):
        """Save a row created on demand, after the checks the database would
        otherwise fail on (PostgreSQL refuses a too-long name mid-transaction)."""
        try:
            obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.is_relation])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise BadReference(f"Cannot create '{obj}': {field}: {messages[0]}")
        obj.save()
        self._created_rows.append(obj)
        self.created[kind] += 1
        self.created_names[kind].append(created_label(obj))
        return obj

    def take_created_rows(self):
        rows, self._created_rows = self._created_rows, []
        return rows

    # Projects and their statuses.
    @cached_property
    def projects(self):
        return {project.name: project for project in Project.objects.all()}

    @cached_property
    def project_statuses(self):
        return {status.name.lower(): status for status in ProjectStatus.objects.all()}

    def project_status(self, name):
        status = self.project_statuses.get(name.lower())
        if status is None:
            status = self._create(ProjectStatus(name=name), "project_statuses")
            self.project_statuses[name.lower()] = status
        return status

    def project(self, name):
        project = self.projects.get(name)
        if project is None:
            project = self._create(
                Project(name=name, project_status=self.project_status(DEFAULT_PROJECT_STATUS)), "projects"
            )
            self.projects[name] = project
            self._entities[project.id] = {}
        return project

    # Entity types: the reserved kinds and the asset types.
    @cached_property
    def entity_types(self):
        return {entity_type.name: entity_type for entity_type in EntityType.objects.all()}

    def entity_type(self, name):
        entity_type = self.entity_types.get(name)
        if entity_type is None:
            entity_type = self._create(EntityType(name=name), "asset_types")
            self.entity_types[name] = entity_type
        return entity_type

    def asset_type(self, name):
        if name in RESERVED_ENTITY_TYPES:
            raise BadReference(f"'{name}' is reserved: it cannot be an asset type.")
        return self.entity_type(name)

    # Entities, one map per project: (entity type id, parent id, name) → Entity.
    def entities(self, project):
        if project.id not in self._entities:
            entities = Entity.objects.filter(project=project)
            if self._mapped_types is not None:
                entities = entities.filter(entity_type__name__in=self._mapped_types)
            if self._entity_fields:
                entities = entities.only(*self._entity_fields)
            self._entities[project.id] = {
                (entity.entity_type_id, entity.parent_id, entity.name): entity for entity in entities
            }
        return self._entities[project.id]

    def entity(self, project, type_name, parent, name):
        """An existing entity, or None."""
        entity_type = self.entity_types.get(type_name)
        if entity_type is None:
            return None
        return self.entities(project).get((entity_type.id, parent.id if parent else None, name))

    def _entity_or_create(self, project, type_name, parent, name):
        entity = self.entity(project, type_name, parent, name)
        if entity is None:
            entity_type = self.entity_type(type_name)
            entity = self._create(
                Entity(project=project, entity_type=entity_type, parent=parent, name=name),
                f"{type_name.lower()}s",
            )
            self.entities(project)[(entity_type.id, entity.parent_id, name)] = entity
        return entity

    def episode(self, project, name):
        return self._entity_or_create(project, EPISODE, None, name)

    def sequence(self, project, episode, name):
        return self._entity_or_create(project, SEQUENCE, episode, name)

    def shot_type(self):
        return self.entity_type(SHOT)

    # Departments and task types.
    @cached_property
    def departments(self):
        return {department.name: department for department in Department.objects.all()}

    def department(self, name):
        department = self.departments.get(name)
        if department is None:
            department = self._create(Department(name=name), "departments")
            self.departments[name] = department
        return department

    @cached_property
    def task_types(self):
        """(name, department id) → TaskType."""
        return {(task_type.name, task_type.department_id): task_type for task_type in TaskType.objects.all()}

    def task_type(self, name, department, for_entity=None):
        """The task type of that name in that department, created when missing.
        Without a department, a task type of that name with no department is
        preferred, else the only one of that name: a sheet need not repeat the
        department of a well-known task type."""
        task_type = self.task_types.get((name, department.id if department else None))
        if task_type is None and department is None:
            named = [t for (n, _), t in self.task_types.items() if n == name]
            task_type = named[0] if len(named) == 1 else None
        if task_type is None:
            task_type = TaskType(name=name, department=department)
            if for_entity:
                task_type.for_entity = for_entity
                task_type.for_shots = for_entity == SHOT
            self._create(task_type, "task_types")
            self.task_types[(name, task_type.department_id)] = task_type
        return task_type

    # Task statuses, matched by name or short name whatever the case.
    @cached_property
    def task_statuses(self):
        statuses = {}
        for status in TaskStatus.objects.all():
            statuses.setdefault(status.short_name.lower(), status)
            statuses.setdefault(status.name.lower(), status)
        return statuses

    def task_status(self, text):
        status = self.task_statuses.get(text.lower())
        if status is None:
            status = self._create(TaskStatus(name=text, short_name=self._free_short_name(text)), "task_statuses")
            self.task_statuses[text.lower()] = status
        return status

    def _free_short_name(self, text):
        taken = {status.short_name for status in self.task_statuses.values()}
        base = text.lower().replace(" ", "")[:10]
        candidates = [base] + [f"{base[:8]}{n}" for n in range(2, 100)]
        return next(short for short in candidates if short not in taken)

    @cached_property
    def default_task_status(self):
        """The status of a new task whose row gives none (production's one rule)."""
        status = task_status_default()
        self.task_statuses.setdefault(status.short_name.lower(), status)
        return status

    # Persons: matched by "First Last" whatever the case, or by email.
    @cached_property
    def persons_by_email(self):
        return {person.email: person for person in Person.objects.all()}

    @cached_property
    def persons_by_name(self):
        by_name = defaultdict(list)
        for person in self.persons_by_email.values():
            by_name[name_key(person.full_name)].append(person)
        return by_name

    def person(self, label):
        if "@" in label:
            person = self.persons_by_email.get(label.lower())
            if person is None:
                raise BadReference(f"Unknown person '{label}'")
            return person
        named = self.persons_by_name.get(name_key(label), [])
        if not named:
            raise BadReference(f"Unknown person '{label}'")
        if len(named) > 1:
            raise BadReference(f"Several persons are named '{label}': give the email instead.")
        return named[0]
