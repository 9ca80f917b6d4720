"""A task is in its entity's project and an entity in its parent's (issue 13
finding 5), enforced by the database for every door, bulk writes included;
Task.clean() and Entity.clean() say it first, with the field named.

PostgreSQL: composite foreign keys onto (id, project_id) of the entity, which
also refuse moving an entity away from its tasks or children. SQLite cannot
add constraints to a table, so triggers say the same there."""

from django.db import migrations

POSTGRESQL = (
    (
        "ALTER TABLE production_entity ADD CONSTRAINT entity_id_project_uniq UNIQUE (id, project_id)",
        "ALTER TABLE production_entity DROP CONSTRAINT entity_id_project_uniq",
    ),
    (
        "ALTER TABLE production_entity ADD CONSTRAINT entity_parent_same_project "
        "FOREIGN KEY (parent_id, project_id) REFERENCES production_entity (id, project_id) "
        "DEFERRABLE INITIALLY IMMEDIATE",
        "ALTER TABLE production_entity DROP CONSTRAINT entity_parent_same_project",
    ),
    (
        "ALTER TABLE production_task ADD CONSTRAINT task_entity_same_project "
        "FOREIGN KEY (entity_id, project_id) REFERENCES production_entity (id, project_id) "
        "DEFERRABLE INITIALLY IMMEDIATE",
        "ALTER TABLE production_task DROP CONSTRAINT task_entity_same_project",
    ),
)

PARENT_ELSEWHERE = (
    "EXISTS (SELECT 1 FROM production_entity AS parent WHERE parent.id = NEW.parent_id "
    "AND parent.project_id IS NOT NEW.project_id)"
)
ENTITY_ELSEWHERE = (
    "EXISTS (SELECT 1 FROM production_entity AS entity WHERE entity.id = NEW.entity_id "
    "AND entity.project_id IS NOT NEW.project_id)"
)
LEFT_BEHIND = (
    "EXISTS (SELECT 1 FROM production_entity AS child WHERE child.parent_id = NEW.id "
    "AND child.project_id IS NOT NEW.project_id) OR EXISTS (SELECT 1 FROM production_task AS task "
    "WHERE task.entity_id = NEW.id AND task.project_id IS NOT NEW.project_id)"
)
SQLITE_TRIGGERS = {
    # name: (event, condition, message)
    "entity_parent_same_project_insert": ("INSERT ON production_entity", PARENT_ELSEWHERE, "an entity is in its parent's project"),
    "entity_parent_same_project_update": (
        "UPDATE OF parent_id, project_id ON production_entity", PARENT_ELSEWHERE, "an entity is in its parent's project"
    ),
    "entity_keeps_its_children_project": (
        "UPDATE OF project_id ON production_entity", LEFT_BEHIND, "an entity with tasks or children stays in its project"
    ),
    "task_entity_same_project_insert": ("INSERT ON production_task", ENTITY_ELSEWHERE, "a task is in its entity's project"),
    "task_entity_same_project_update": (
        "UPDATE OF entity_id, project_id ON production_task", ENTITY_ELSEWHERE, "a task is in its entity's project"
    ),
}


def statements(vendor, forward):
    if vendor == "postgresql":
        return [add if forward else drop for add, drop in (POSTGRESQL if forward else reversed(POSTGRESQL))]
    if vendor == "sqlite":
        if not forward:
            return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
        return [
            f"CREATE TRIGGER {name} BEFORE {event} FOR EACH ROW WHEN {condition} "
            f"BEGIN SELECT RAISE(ABORT, '{name}: {message.replace(chr(39), chr(39) * 2)}'); END"
            for name, (event, condition, message) in SQLITE_TRIGGERS.items()
        ]
    return []


def add(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("production", "0003_field_validators")]
    operations = [migrations.RunPython(add, drop)]
