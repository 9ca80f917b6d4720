"""Look-up maps: every link of a batch resolves in memory, from maps built with
one query per linked table (per chunk of ids for the large ones), never with a
query per record.

A link resolves by its Shotgun id. When the id is unknown, its name is tried
among the rows that came from elsewhere (CSV, the API) and carry no Shotgun id
yet, so a production started by hand can be joined; a row holding another
Shotgun id is another Shotgun record and is never taken by name, since Shotgun
display names drift ("Black Sheep" links the asset coded "Sheep"). A link
carrying only a name matches any row of that name. Either way a name must
match exactly one row.
"""

from collections import defaultdict

from django.db.models import Q

from imports.shotgun.batching import in_chunks
from imports.shotgun.mapping import ASSET_TYPE, DEPARTMENT, LABELS, PROJECT_STATUS, TASK_STATUS
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
    Task,
    TaskStatus,
    TaskType,
)
from production.services import task_status_default

ENTITY_TYPE_OF_KIND = {"episodes": EPISODE, "sequences": SEQUENCE, "shots": SHOT}
ENTITY_KINDS = (*ENTITY_TYPE_OF_KIND, "assets")
# Tables linked by value (a status name, a department) rather than by Shotgun id.
NAMED_MODELS = {PROJECT_STATUS: ProjectStatus, DEPARTMENT: Department, ASSET_TYPE: EntityType}


class LinkError(ValueError):
    """A link of a record that matches no row, or too many."""


class TargetMap:
    """One linked table: Shotgun id → row id, and name → row ids."""

    def __init__(self):
        self.by_shotgun_id = {}
        self.by_name = defaultdict(set)
        self.unlinked_by_name = defaultdict(set)

    def add(self, row_id, shotgun_id, name):
        if shotgun_id is not None:
            self.by_shotgun_id[shotgun_id] = row_id
        if name:
            self.by_name[name].add(row_id)
            if shotgun_id is None:
                self.unlinked_by_name[name].add(row_id)


class LinkMaps:
    """Built from the links of one batch. Small tables are read whole; entities
    and tasks, which grow with every production, only where a link's id or name
    points, in chunks of ids."""

    def __init__(self, links, extra_targets=()):
        self.wanted = defaultdict(lambda: (set(), set()))
        self.links_to = defaultdict(list)
        for link in links:
            self.links_to[link.target].append(link)
            ids, names = self.wanted[link.target]
            if link.id is not None:
                ids.add(link.id)
            if link.name:
                names.add(link.name)
        self.maps = {target: TargetMap() for target in (*self.wanted, *extra_targets)}
        # Entity id → project id, to check that a link stays inside its project.
        self.entity_projects = {}
        self.default_task_status_id = None
        self.resolved = {}
        self._load_small_tables()
        self._load_entities()
        if "tasks" in self.maps:
            # Task names ("Animation") name hundreds of tasks: tasks link by id only.
            for queryset in in_chunks(Task.objects.all(), "shotgun_id", self.wanted["tasks"][0]):
                for row_id, shotgun_id in queryset.values_list("id", "shotgun_id"):
                    self.maps["tasks"].add(row_id, shotgun_id, None)

    def _load_small_tables(self):
        querysets = {
            "projects": Project.objects.values_list("id", "shotgun_id", "name"),
            "steps": TaskType.objects.values_list("id", "shotgun_id", "name"),
            PROJECT_STATUS: ProjectStatus.objects.values_list("id", "name"),
            DEPARTMENT: Department.objects.values_list("id", "name"),
            ASSET_TYPE: EntityType.objects.exclude(name__in=RESERVED_ENTITY_TYPES).values_list("id", "name"),
        }
        for target, queryset in querysets.items():
            if target not in self.maps:
                continue
            for row in queryset:
                if target in NAMED_MODELS:
                    self.maps[target].add(row[0], None, row[1])
                else:
                    self.maps[target].add(*row)
        if "persons" in self.maps:
            for row_id, shotgun_id, first, last in Person.objects.values_list(
                "id", "shotgun_id", "first_name", "last_name"
            ):
                self.maps["persons"].add(row_id, shotgun_id, f"{first} {last}".strip())
        if TASK_STATUS in self.maps:
            for row_id, short_name in TaskStatus.objects.values_list("id", "short_name"):
                self.maps[TASK_STATUS].add(row_id, None, short_name)

    def _load_entities(self):
        """Every entity kind wanted, narrowed to the ids and names linked."""
        kinds = [kind for kind in ENTITY_KINDS if kind in self.maps]
        if not kinds:
            return
        of_kinds = Q(entity_type__name__in=[ENTITY_TYPE_OF_KIND[kind] for kind in kinds if kind != "assets"])
        if "assets" in kinds:
            of_kinds |= ~Q(entity_type__name__in=RESERVED_ENTITY_TYPES)
        entities = Entity.objects.filter(of_kinds)
        ids = set().union(*(self.wanted[kind][0] for kind in kinds))
        kind_of_type = {type_name: kind for kind, type_name in ENTITY_TYPE_OF_KIND.items()}
        columns = ("id", "shotgun_id", "name", "entity_type__name", "project_id")
        rows = {row[0]: row for queryset in in_chunks(entities, "shotgun_id", ids) for row in queryset.values_list(*columns)}
        # Names matter only to the links their id does not find (or that carry
        # none): shot names repeat in every project, so reading every entity
        # named by the batch would read the whole studio's.
        found = {(kind_of_type.get(row[3], "assets"), row[1]) for row in rows.values()}
        names = {
            link.name
            for kind in kinds
            for link in self.links_to[kind]
            if link.name and (link.id is None or (kind, link.id) not in found)
        }
        for queryset in in_chunks(entities, "name", names):
            rows.update((row[0], row) for row in queryset.values_list(*columns))
        for row_id, shotgun_id, name, type_name, project_id in rows.values():
            kind = kind_of_type.get(type_name, "assets")
            if kind in self.maps:
                self.maps[kind].add(row_id, shotgun_id, name)
                self.entity_projects[row_id] = project_id

    def ensure(self, target, wanted):
        """Create the look-up rows a batch names and the database lacks.
        `wanted` maps each name to the fields of a row to create."""
        model = NAMED_MODELS[target]
        limit = model._meta.get_field("name").max_length
        known = self.maps[target].by_name
        # A name too long for the table is left to fail as an unknown link.
        missing = [model(name=name, **fields) for name, fields in wanted.items() if name not in known and len(name) <= limit]
        model.objects.bulk_create(missing)
        for row in missing:
            self.maps[target].add(row.id, None, row.name)

    def default_task_status(self):
        """The status of a new task Shotgun gave none (production's one rule), read once per batch."""
        if self.default_task_status_id is None:
            self.default_task_status_id = task_status_default().id
        return self.default_task_status_id

    def resolve(self, link):
        # A batch names the same few rows again and again (its project, steps,
        # statuses, persons): each link is looked up once.
        found = self.resolved.get(link)
        if found is None:
            found = self.resolved[link] = self._resolve(link)
        return found

    def _resolve(self, link):
        target = self.maps[link.target]
        if link.target in NAMED_MODELS or link.target == TASK_STATUS:
            matches = target.by_name.get(link.name, ())
        elif link.id is not None:
            row_id = target.by_shotgun_id.get(link.id)
            if row_id is not None:
                return row_id
            matches = target.unlinked_by_name.get(link.name, ()) if link.name else ()
        else:
            matches = target.by_name.get(link.name, ())
        if len(matches) == 1:
            return next(iter(matches))
        raise LinkError(self._reason(link, len(matches)))

    @staticmethod
    def _reason(link, count):
        label = LABELS[link.target]
        if count > 1:
            return f"'{link.field}': {count} {label} rows are named {link.name!r}; the link is ambiguous."
        if link.id is None:
            return f"'{link.field}': no {label} named {link.name!r}."
        named = f" or named {link.name!r}" if link.name else ""
        return f"'{link.field}': no {label} with Shotgun id {link.id}{named}."
