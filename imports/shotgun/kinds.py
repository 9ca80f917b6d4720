"""One importer per Shotgun record kind: the table it writes, what identifies a
row there, and the few rules the kind adds to the engine."""

import copy
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from files.models import PreviewFile
from imports.shotgun.batching import in_chunks
from imports.shotgun.importer import UPDATED, KindImporter
from imports.shotgun.lookups import LinkError
from imports.shotgun.mapping import ASSET_TYPE, DEPARTMENT, LABELS, PROJECT_STATUS, TASK_STATUS
from production.auth.persons import admins_kept, is_active_admin, person_change_errors, persons_tokens_revoke
from production.models import (
    EPISODE,
    RESERVED_ENTITY_TYPES,
    SEQUENCE,
    SHOT,
    Asset,
    Comment,
    Entity,
    EntityType,
    Episode,
    Person,
    Project,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
)

STANDARD_TREE_PATH = settings.BASE_DIR / "files" / "trees" / "standard.json"


def standard_tree():
    """The file tree a new project gets: the standard tree the files app ships.
    Until it ships one a new project gets none, and `project/set-tree` gives it
    one later."""
    try:
        return json.loads(STANDARD_TREE_PATH.read_text())
    except FileNotFoundError:
        return None


def _linked_names(staged, attname):
    return {item.mapped.links[attname].name for item in staged if item.mapped.links.get(attname)}


class ProjectImporter(KindImporter):
    kind, model, kind_model, zou_type = "projects", Project, Project, "Project"
    natural_key = ("name",)

    def prepare(self, staged):
        names = _linked_names(staged, "project_status_id")
        if names:
            self.links.ensure(PROJECT_STATUS, {name: {} for name in names})
        self.tree = standard_tree()

    def new_row(self):
        row = super().new_row()
        row["file_tree"] = copy.deepcopy(self.tree)
        return row


class PersonImporter(KindImporter):
    kind, model, kind_model, zou_type = "persons", Person, Person, "Person"
    natural_key = ("email",)
    hidden_fields = ("password", "last_login", "tokens_valid_after")

    def instance(self, row):
        person = Person(**row)
        # A new person cannot log in until a password is set; bulk_update
        # never writes the password, so an existing one is kept.
        person.set_unusable_password()
        return person

    def guarded(self, staged):
        """The rules of production.auth.persons, per record: the importing admin
        is never renamed or deactivated by their own import, and no import
        deactivates the last active admins (those records fail, the rest go on)."""
        kept, losing = [], []
        for item in staged:
            errors = person_change_errors(stored=item.row, new=item.new, actor=self.actor, by_import=True)
            if errors:
                self.fail(item.index, item.record, " ".join(f"'{field}': {message}" for field, message in errors.items()))
                continue
            if item.row is not None and is_active_admin(item.row) and not is_active_admin(item.new):
                losing.append(item)
            kept.append(item)
        try:
            admins_kept(losing=[item.row["id"] for item in losing])
        except ValidationError as error:
            for item in losing:
                self.fail(item.index, item.record, error.messages[0])
            kept = [item for item in kept if item not in losing]
        return kept

    def written(self, staged):
        # A deactivation ends every session; re-activating later brings none back.
        persons_tokens_revoke(
            person_ids=[item.row["id"] for item in staged if item.row is not None and item.row["active"] and not item.new["active"]]
        )


class StepImporter(KindImporter):
    kind, model, kind_model, zou_type = "steps", TaskType, TaskType, "TaskType"
    natural_key = ("name", "department_id")

    def prepare(self, staged):
        wanted = {}
        for item in staged:
            color = item.mapped.fields.get("color")
            # As Zou: a new department takes the colour of the first step naming it.
            wanted.setdefault(item.mapped.links["department_id"].name, {"color": color} if color else {})
        if wanted:
            self.links.ensure(DEPARTMENT, wanted)


class StatusImporter(KindImporter):
    kind, model, kind_model, zou_type = "status", TaskStatus, TaskStatus, "TaskStatus"
    natural_key = ("short_name",)


class EntityImporter(KindImporter):
    model = Entity
    natural_key = ("name", "project_id", "entity_type_id", "parent_id")
    whole_table = False
    entity_type_name = None

    def prepare(self, staged):
        self.entity_type_id = EntityType.objects.get_or_create(name=self.entity_type_name)[0].id

    def of_kind(self):
        return Q(entity_type_id=self.entity_type_id)

    def complete(self, item):
        item.values["entity_type_id"] = self.entity_type_id
        parent_id = item.values.get("parent_id")
        if parent_id is not None and self.links.entity_projects.get(parent_id) != item.values["project_id"]:
            link = item.mapped.links["parent_id"]
            raise LinkError(f"'{link.field}' links a {LABELS[link.target]} of another project.")

    def scope(self):
        return Entity.objects.filter(self.of_kind())

    def adoptable(self, staged):
        """Entities of the records' projects bearing one of their names."""
        if not staged:
            return []
        projects = {item.values["project_id"] for item in staged}
        return in_chunks(self.scope().filter(project_id__in=projects), "name", {item.values["name"] for item in staged})


class EpisodeImporter(EntityImporter):
    kind, kind_model, zou_type, entity_type_name = "episodes", Episode, "Episode", EPISODE


class SequenceImporter(EntityImporter):
    kind, kind_model, zou_type, entity_type_name = "sequences", Sequence, "Sequence", SEQUENCE


class ShotImporter(EntityImporter):
    kind, kind_model, zou_type, entity_type_name = "shots", Shot, "Shot", SHOT
    many_field = "entities_out"
    merged_json = ("data",)


class AssetImporter(EntityImporter):
    """An asset's `parents` are the assets it is part of: each parent's casting
    (entities_out) gains the asset, as in Zou. Parents are added, never removed,
    since a parent's casting gathers many records."""

    kind, kind_model, zou_type = "assets", Asset, "Asset"
    late_many = ("parents",)

    def prepare(self, staged):
        names = _linked_names(staged, "entity_type_id")
        if names:
            self.links.ensure(ASSET_TYPE, {name: {} for name in names})

    def of_kind(self):
        return ~Q(entity_type__name__in=RESERVED_ENTITY_TYPES)

    def complete(self, item):
        """The asset type comes from the record's own link."""

    def resolve_late(self, staged):
        """Parents may be records of this very batch, so they resolve once the
        batch's rows are known. A record whose parent fails fails too, and so on
        until none does."""
        in_batch = {item.mapped.shotgun_id: item for item in staged}
        dropped = set()
        failing = True
        while failing:
            failing = False
            for item in list(in_batch.values()):
                try:
                    item.many["parents"] = [
                        self.parent_id(item, link, in_batch, dropped) for link in item.mapped.many.get("parents", ())
                    ]
                except LinkError as error:
                    self.fail(item.index, item.record, str(error))
                    del in_batch[item.mapped.shotgun_id]
                    dropped.add(item.mapped.shotgun_id)
                    failing = True
        return [item for item in staged if item.mapped.shotgun_id in in_batch]

    def parent_id(self, item, link, in_batch, dropped):
        if link.id in in_batch:
            parent = in_batch[link.id].new["id"]
        else:
            try:
                parent = self.links.resolve(link)
            except LinkError:
                if link.id in dropped:
                    raise LinkError(f"'{link.field}': the asset with Shotgun id {link.id} could not be imported.")
                raise
        if parent == item.new["id"]:
            raise LinkError(f"'{link.field}': an asset cannot be its own parent.")
        return parent

    def late_changes(self, staged):
        children = [item for item in staged if item.many.get("parents")]
        if not children:
            return {}
        through, source, target = self.through("entities_out")
        present = set()
        for queryset in in_chunks(through.objects.all(), target, [item.new["id"] for item in children if item.row]):
            present.update(queryset.values_list(source, target))
        adds = []
        for item in children:
            for parent_id in dict.fromkeys(item.many["parents"]):
                if (parent_id, item.new["id"]) not in present:
                    adds.append((parent_id, item.new["id"]))
                    item.outcome = UPDATED
        return {"entities_out": (adds, [])}


class TaskImporter(KindImporter):
    kind, model, kind_model, zou_type = "tasks", Task, Task, "Task"
    natural_key = ("name", "project_id", "task_type_id", "entity_id")
    many_field = "assignees"

    # Always loaded: a new task without status takes the default one.
    extra_targets = (TASK_STATUS,)
    whole_table = False

    def complete(self, item):
        entity_project = self.links.entity_projects[item.values["entity_id"]]
        if item.values.setdefault("project_id", entity_project) != entity_project:
            raise LinkError("'project' is not the project of the task's entity.")

    def adoptable(self, staged):
        """The tasks holding one of the records' natural keys. On PostgreSQL only
        those, in one query (a streamed batch's later chunks would otherwise read
        back every task its earlier chunks wrote on the same entities); elsewhere
        the tasks of the records' entities."""
        if connection.vendor != "postgresql":
            return in_chunks(Task.objects.all(), "entity_id", {item.values["entity_id"] for item in staged})
        if not staged:
            return []
        keys = {tuple(item.values[attname] for attname in self.natural_key) for item in staged}
        names, projects, types, entities = zip(*keys)
        table = connection.ops.quote_name(Task._meta.db_table)
        holders = RawSQL(
            # LATERAL … LIMIT 1: one look-up of the unique index per key; a plain
            # join is planned as a hash join over the whole table.
            "SELECT h.id FROM unnest(%s::text[], %s::uuid[], %s::uuid[], %s::uuid[])"
            f" AS k(name, project_id, task_type_id, entity_id) CROSS JOIN LATERAL (SELECT t.id FROM {table} t"
            " WHERE (t.name, t.project_id, t.task_type_id, t.entity_id) = (k.name, k.project_id, k.task_type_id, k.entity_id)"
            " LIMIT 1) h",
            [list(names), [i.hex for i in projects], [i.hex for i in types], [i.hex for i in entities]],
        )
        return [Task.objects.filter(pk__in=holders)]

    def new_row(self):
        row = super().new_row()
        row["task_status_id"] = self.links.default_task_status()
        return row


class VersionImporter(KindImporter):
    kind, model, kind_model, zou_type = "versions", PreviewFile, PreviewFile, "PreviewFile"

    whole_table = False


class NoteImporter(KindImporter):
    kind, model, kind_model, zou_type = "notes", Comment, Comment, "Comment"

    whole_table = False


IMPORTERS = {
    importer.kind: importer
    for importer in (
        ProjectImporter,
        PersonImporter,
        StepImporter,
        StatusImporter,
        EpisodeImporter,
        SequenceImporter,
        AssetImporter,
        ShotImporter,
        TaskImporter,
        VersionImporter,
        NoteImporter,
    )
}
