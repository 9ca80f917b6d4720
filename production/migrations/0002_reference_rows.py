from django.db import migrations

# A frozen copy of the reference rows as they were when this migration was
# written, not an import of production.defaults or production.models: a
# migration must insert the same rows forever, whatever later edits the live
# constants get (a renamed status there belongs in a new migration).
ENTITY_TYPES = ("Episode", "Sequence", "Shot")
TASK_STATUSES = [
    # name, short_name, color, is_default, is_done, is_reviewable
    ("Todo", "todo", "#f5f5f5", True, False, False),
    ("WIP", "wip", "#3273dc", False, False, False),
    ("To review", "pndng", "#ab26ff", False, False, True),
    ("Done", "done", "#22d160", False, True, False),
]
PROJECT_STATUSES = [("Open", "#22d160"), ("Closed", "#ff3860")]


def create_reference_rows(apps, schema_editor):
    EntityType = apps.get_model("production", "EntityType")
    TaskStatus = apps.get_model("production", "TaskStatus")
    ProjectStatus = apps.get_model("production", "ProjectStatus")
    for name in ENTITY_TYPES:
        EntityType.objects.get_or_create(name=name)
    for name, short_name, color, is_default, is_done, is_reviewable in TASK_STATUSES:
        TaskStatus.objects.get_or_create(
            short_name=short_name,
            defaults=dict(
                name=name, color=color, is_default=is_default, is_done=is_done, is_reviewable=is_reviewable
            ),
        )
    for name, color in PROJECT_STATUSES:
        ProjectStatus.objects.get_or_create(name=name, defaults={"color": color})


class Migration(migrations.Migration):
    dependencies = [("production", "0001_initial")]
    operations = [migrations.RunPython(create_reference_rows, migrations.RunPython.noop)]
