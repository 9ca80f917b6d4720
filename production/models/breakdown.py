"""Entities: Zou keeps episodes, sequences, shots and assets in one table told
apart by their entity type; each kind is a proxy with its own manager here."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from production.models.base import BaseModel, unique_with_nullable

EPISODE, SEQUENCE, SHOT = "Episode", "Sequence", "Shot"
RESERVED_ENTITY_TYPES = (EPISODE, SEQUENCE, SHOT)
# The kind of parent each reserved kind may have (None: no parent at all).
PARENT_KIND = {SHOT: SEQUENCE, SEQUENCE: EPISODE, EPISODE: None}


def frame_number(value):
    """A frame from `data`: a whole number, or digits kept as text by the CSV
    import ("0101"); anything else is not compared."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def frame_count(frame_in, frame_out):
    """The one frame rule of every door (form, API, CSV, Shotgun): a range
    counts both its ends, frames 1001 to 1048 are 48 frames, so a cut of
    duration d starting at `in` ends at in + d - 1 and the next shot starts
    at in + d without overlapping it. None when an end is unknown."""
    frame_in, frame_out = frame_number(frame_in), frame_number(frame_out)
    if frame_in is None or frame_out is None:
        return None
    if frame_out < frame_in:
        raise ValueError(f"frame_out ({frame_out}) comes before frame_in ({frame_in}).")
    return frame_out - frame_in + 1


class EntityType(BaseModel):
    """Shot, Sequence and Episode are reserved; any other name is an asset type."""

    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_asset_type(self):
        return self.name not in RESERVED_ENTITY_TYPES


class AssetTypeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(name__in=RESERVED_ENTITY_TYPES)


class AssetType(EntityType):
    objects = AssetTypeManager()

    class Meta:
        proxy = True
        ordering = ["name", "id"]

    def clean(self):
        if self.name in RESERVED_ENTITY_TYPES:
            raise ValidationError({"name": f"'{self.name}' is reserved and cannot be an asset type."})


class Entity(BaseModel):
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    project = models.ForeignKey("production.Project", on_delete=models.PROTECT, related_name="entities")
    entity_type = models.ForeignKey(EntityType, on_delete=models.PROTECT, related_name="entities")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    data = models.JSONField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, db_index=True)
    canceled = models.BooleanField(default=False)
    nb_frames = models.IntegerField(null=True, blank=True, validators=[MinValueValidator(0)])
    # The casting: the assets that appear in a shot (or an asset, an episode),
    # each link an EntityLink carrying its number of occurrences.
    entities_out = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="entities_in",
        through="EntityLink",
        through_fields=("entity_in", "entity_out"),
    )
    # The main preview (its picture is the entity's thumbnail), set by
    # actions/preview-files/<id>/set-main-preview. By id, as Comment's
    # preview: the files app depends on this one, not the reverse.
    preview_file_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        # Names repeat across sequences (SH010 in every one): id keeps pages stable.
        ordering = ["name", "id"]
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["name"]), models.Index(fields=["project", "entity_type"])]
        constraints = unique_with_nullable(
            ["name", "project", "entity_type", "parent"],
            "parent",
            "entity_name_in_parent",
            "An entity of this type and name already exists under this parent in this project.",
        )

    def __str__(self):
        # The admin's entity pickers annotate the full path (Project / E01 /
        # SQ01 / SH010): shot names repeat in every sequence and project.
        return getattr(self, "path_label", None) or self.name

    @property
    def frame_in(self):
        return (self.data or {}).get("frame_in")

    @property
    def frame_out(self):
        return (self.data or {}).get("frame_out")

    def clean(self):
        """One project per branch of the breakdown, each kind under its kind of
        parent, frame ranges in order. The database refuses cross-project links
        too (production/migrations: project consistency)."""
        errors = {}
        kind = self.entity_type.name if self.entity_type_id else None
        if self.parent_id is not None:
            parent = self.parent
            if self.project_id and parent.project_id != self.project_id:
                errors["parent"] = "The parent belongs to another project: an entity is in its parent's project."
            elif kind in PARENT_KIND and parent.entity_type.name != PARENT_KIND[kind]:
                wanted = PARENT_KIND[kind]
                errors["parent"] = f"A {kind.lower()}'s parent must be a {wanted.lower()}." if wanted else "An episode has no parent."
        if not self._state.adding and self.project_id:
            moved = type(self)._base_manager.filter(pk=self.pk).exclude(project_id=self.project_id).exists()
            if moved and (self.children.exists() or self.tasks.exists()):
                errors["project"] = "An entity with tasks or child entities stays in its project: move or delete them first."
        try:
            nb_frames = frame_count(self.frame_in, self.frame_out)
        except ValueError as error:
            errors["data"] = str(error)
        else:
            # The range, when whole, sets the count: a moved frame_out never
            # leaves a stale nb_frames behind.
            if nb_frames is not None:
                self.nb_frames = nb_frames
        if errors:
            raise ValidationError(errors)


class EntityKindManager(models.Manager):
    """Returns only the rows of one reserved entity type; create() sets it."""

    def __init__(self, type_name):
        super().__init__()
        self.type_name = type_name

    def get_queryset(self):
        return super().get_queryset().filter(entity_type__name=self.type_name)

    def kind_q(self, prefix=""):
        """This kind's condition on a related entity (`prefix="entity__"` for tasks)."""
        return Q(**{f"{prefix}entity_type__name": self.type_name})

    def entity_type(self):
        return EntityType.objects.get_or_create(name=self.type_name)[0]

    def create(self, **kwargs):
        kwargs.setdefault("entity_type", self.entity_type())
        return super().create(**kwargs)


class AssetManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(entity_type__name__in=RESERVED_ENTITY_TYPES)

    def kind_q(self, prefix=""):
        """Assets' condition on a related entity (`prefix="entity__"` for tasks)."""
        return ~Q(**{f"{prefix}entity_type__name__in": RESERVED_ENTITY_TYPES})


class EntityKind(Entity):
    """Base of the reserved kinds: an instance saved without a type gets its own."""

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        if self.entity_type_id is None:
            self.entity_type = type(self).objects.entity_type()
        super().save(*args, **kwargs)


class Episode(EntityKind):
    objects = EntityKindManager(EPISODE)

    class Meta:
        proxy = True
        ordering = ["name", "id"]


class Sequence(EntityKind):
    objects = EntityKindManager(SEQUENCE)

    class Meta:
        proxy = True
        ordering = ["name", "id"]


class Shot(EntityKind):
    objects = EntityKindManager(SHOT)

    class Meta:
        proxy = True
        ordering = ["name", "id"]


class Asset(Entity):
    objects = AssetManager()

    class Meta:
        proxy = True
        ordering = ["name", "id"]

    def clean(self):
        if self.entity_type_id and self.entity_type.name in RESERVED_ENTITY_TYPES:
            raise ValidationError({"entity_type": "An asset's type cannot be Shot, Sequence or Episode."})
        super().clean()


class EntityLink(BaseModel):
    """One line of a casting: the asset `entity_out` appears `nb_occurences`
    times in `entity_in` (a shot, an asset for set dressing, or an episode).
    The rows behind Entity.entities_out, so readers of that list and the
    casting routes see the same links. Zou's spelling of "occurrences"."""

    entity_in = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="casting_links")
    entity_out = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="cast_in_links")
    # No link of 0: an asset cast 0 times is not cast (the routes remove it).
    nb_occurences = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    label = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        # By the columns: ordering by the relations would join both entities.
        ordering = ["entity_in_id", "entity_out_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_in", "entity_out"],
                name="entity_link_uniq",
                violation_error_message="This asset is already cast in this entity.",
            ),
            models.CheckConstraint(
                condition=models.Q(nb_occurences__gte=1), name="entity_link_occurences_gte_1"
            ),
            models.CheckConstraint(
                condition=~models.Q(entity_in=models.F("entity_out")), name="entity_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.entity_out} ×{self.nb_occurences} in {self.entity_in}"

    def clean(self):
        """What a casting may hold, said with the field named before the
        database refuses it: an asset of the entity's own project, not itself."""
        errors = {}
        if self.entity_in_id and self.entity_out_id:
            entity_in, entity_out = self.entity_in, self.entity_out
            if entity_out.entity_type.name in RESERVED_ENTITY_TYPES:
                errors["entity_out"] = f"Only assets are cast: {entity_out.name} is a {entity_out.entity_type.name.lower()}."
            elif entity_in.project_id != entity_out.project_id:
                errors["entity_out"] = f"The asset {entity_out.name} belongs to another project than {entity_in.name}."
            elif entity_in.pk == entity_out.pk:
                errors["entity_out"] = "An asset is not cast in itself."
        if errors:
            raise ValidationError(errors)
