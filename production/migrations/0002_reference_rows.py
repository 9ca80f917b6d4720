from django.db import migrations

from production.defaults import DEFAULT_PROJECT_STATUSES, DEFAULT_TASK_STATUSES
from production.models.breakdown import RESERVED_ENTITY_TYPES


def create_reference_rows(apps, schema_editor):
    EntityType = apps.get_model("production", "EntityType")
    TaskStatus = apps.get_model("production", "TaskStatus")
    ProjectStatus = apps.get_model("production", "ProjectStatus")
    for name in RESERVED_ENTITY_TYPES:
        EntityType.objects.get_or_create(name=name)
    for name, short_name, color, is_default, is_done, is_reviewable in DEFAULT_TASK_STATUSES:
        TaskStatus.objects.get_or_create(
            short_name=short_name,
            defaults=dict(
                name=name, color=color, is_default=is_default, is_done=is_done, is_reviewable=is_reviewable
            ),
        )
    for name, color in DEFAULT_PROJECT_STATUSES:
        ProjectStatus.objects.get_or_create(name=name, defaults={"color": color})


class Migration(migrations.Migration):
    dependencies = [("production", "0001_initial")]
    operations = [migrations.RunPython(create_reference_rows, migrations.RunPython.noop)]
