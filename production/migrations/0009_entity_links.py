"""The casting gets its own rows (EntityLink) carrying a number of occurrences
per (entity, asset), as Zou's entity links do; Entity.entities_out now goes
through them. Django cannot add `through` to an existing many-to-many, so the
links are copied into the new table (nb_occurences 1, no label), the old
table dropped, and the field declared again through EntityLink: one source of
truth, every reader of `entities_out` unchanged. Reversible: going back copies
the links into the plain table (occurrences are lost)."""

import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000


def links_to_entity_links(apps, schema_editor):
    Entity = apps.get_model("production", "Entity")
    EntityLink = apps.get_model("production", "EntityLink")
    old = Entity.entities_out.through.objects.values_list("from_entity_id", "to_entity_id").order_by("id")
    batch = []
    for entity_in_id, entity_out_id in old.iterator(chunk_size=BATCH):
        batch.append(EntityLink(entity_in_id=entity_in_id, entity_out_id=entity_out_id, nb_occurences=1))
        if len(batch) >= BATCH:
            EntityLink.objects.bulk_create(batch)
            batch = []
    EntityLink.objects.bulk_create(batch)


def entity_links_to_links(apps, schema_editor):
    Entity = apps.get_model("production", "Entity")
    EntityLink = apps.get_model("production", "EntityLink")
    through = Entity.entities_out.through
    pairs = EntityLink.objects.values_list("entity_in_id", "entity_out_id").order_by("entity_in_id", "entity_out_id")
    batch = []
    for entity_in_id, entity_out_id in pairs.iterator(chunk_size=BATCH):
        batch.append(through(from_entity_id=entity_in_id, to_entity_id=entity_out_id))
        if len(batch) >= BATCH:
            through.objects.bulk_create(batch)
            batch = []
    through.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("production", "0008_task_data")]

    operations = [
        migrations.CreateModel(
            name="EntityLink",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "nb_occurences",
                    models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)]),
                ),
                ("label", models.CharField(blank=True, default="", max_length=80)),
                (
                    "entity_in",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="casting_links", to="production.entity"
                    ),
                ),
                (
                    "entity_out",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="cast_in_links", to="production.entity"
                    ),
                ),
            ],
            options={
                "ordering": ["entity_in_id", "entity_out_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entity_in", "entity_out"),
                        name="entity_link_uniq",
                        violation_error_message="This asset is already cast in this entity.",
                    ),
                    models.CheckConstraint(condition=models.Q(nb_occurences__gte=1), name="entity_link_occurences_gte_1"),
                    models.CheckConstraint(
                        condition=models.Q(("entity_in", models.F("entity_out")), _negated=True), name="entity_link_not_self"
                    ),
                ],
            },
        ),
        migrations.RunPython(links_to_entity_links, entity_links_to_links),
        migrations.RemoveField(model_name="entity", name="entities_out"),
        # A many-to-many through a model of its own has no table or column to
        # add; SQLite's schema editor would still rebuild the entity table,
        # which its project-consistency triggers (0004) forbid. State only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="entity",
                    name="entities_out",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="entities_in",
                        through="production.EntityLink",
                        through_fields=("entity_in", "entity_out"),
                        to="production.entity",
                    ),
                ),
            ]
        ),
    ]
