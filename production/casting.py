"""Casting writes (issue 15): keyword-only services over the EntityLink rows
behind Entity.entities_out, each in one transaction. A module of its own
beside production.services, which holds every other write."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from production.models import RESERVED_ENTITY_TYPES, Entity, EntityLink

# Each write locks the holders' rows first (in id order, as tasks are), so two
# editors of one casting queue up; each is all or nothing. Zero occurrences
# means "not cast": such a link is removed, never stored.
CASTING_HOLDER_KINDS = ("Shot", "Episode")  # and every asset type


def _holds_casting(entity):
    kind = entity.entity_type.name
    return kind in CASTING_HOLDER_KINDS or kind not in RESERVED_ENTITY_TYPES


def _lock_entities(entity_ids):
    return list(Entity.objects.select_for_update().filter(id__in=entity_ids).order_by("id").select_related("entity_type"))


def _listed(ids):
    return ", ".join(sorted(str(i) for i in ids))


def _project_assets(*, project_id, asset_ids):
    """The assets of these ids in the project, or a ValidationError naming
    `asset_id` and every id that is not one (unknown, another project's, a shot)."""
    assets = {
        asset.id: asset
        for asset in Entity.objects.filter(id__in=asset_ids, project_id=project_id).select_related("entity_type")
        if asset.entity_type.name not in RESERVED_ENTITY_TYPES
    }
    missing = set(asset_ids) - set(assets)
    if missing:
        raise ValidationError({"asset_id": [f"Not an asset of this project: {_listed(missing)}."]})
    return assets


def _checked_links(links):
    """Each link's own rules (EntityLink.clean) on the rows already in hand;
    the links' existence and uniqueness were checked on the whole list."""
    now = timezone.now()
    for link in links:
        link.full_clean(exclude=["entity_in", "entity_out"], validate_unique=False, validate_constraints=False)
        link.updated_at = now  # bulk_update does not touch auto_now fields
    return links


@transaction.atomic
def casting_set(*, entity, casting):
    """Replace the casting of a shot, an asset or an episode. `casting`: a
    list of {"asset_id", "nb_occurences", "label"}; an entry of 0 occurrences
    leaves its asset out. Links kept keep their ids."""
    (entity,) = _lock_entities([entity.pk])
    if not _holds_casting(entity):
        raise ValidationError({"entity_id": [f"A {entity.entity_type.name.lower()} has no casting: cast in its shots."]})
    seen, twice = set(), set()
    for entry in casting:
        (twice if entry["asset_id"] in seen else seen).add(entry["asset_id"])
    if twice:
        raise ValidationError({"asset_id": [f"Listed more than once: {_listed(twice)}."]})
    wanted = {entry["asset_id"]: entry for entry in casting if entry["nb_occurences"] > 0}
    assets = _project_assets(project_id=entity.project_id, asset_ids=wanted)
    if entity.pk in wanted:
        raise ValidationError({"asset_id": [f"An asset is not cast in itself: {entity.pk}."]})
    links = EntityLink.objects.filter(entity_in=entity)
    links.exclude(entity_out_id__in=wanted).delete()
    existing = {link.entity_out_id: link for link in links}
    changed, created = [], []
    for asset_id, entry in wanted.items():
        link = existing.get(asset_id)
        if link is None:
            link = EntityLink(entity_in=entity, entity_out=assets[asset_id])
            created.append(link)
        elif (link.nb_occurences, link.label) != (entry["nb_occurences"], entry["label"]):
            changed.append(link)
        link.entity_in, link.entity_out = entity, assets[asset_id]
        link.nb_occurences, link.label = entry["nb_occurences"], entry["label"]
    EntityLink.objects.bulk_create(_checked_links(created))
    EntityLink.objects.bulk_update(_checked_links(changed), ["nb_occurences", "label", "updated_at"])
    return entity


@transaction.atomic
def asset_cast(*, asset, entity_ids, nb_occurences=None, label=None):
    """Cast one asset in many entities of its project, leaving their other
    assets alone. `nb_occurences` None keeps a link's count (1 for a new
    link), 0 removes the asset; `label` None keeps a link's label. Answers
    the entities' ids."""
    if nb_occurences is not None and nb_occurences < 0:
        raise ValidationError({"nb_occurences": ["A number of occurrences is 0 (not cast) or more."]})
    entities = [e for e in _lock_entities(set(entity_ids)) if e.project_id == asset.project_id]
    missing = set(entity_ids) - {e.id for e in entities}
    if missing:
        raise ValidationError({"entity_ids": [f"Not an entity of this project: {_listed(missing)}."]})
    refused = [e.id for e in entities if not _holds_casting(e) or e.id == asset.id]
    if refused:
        raise ValidationError({"entity_ids": [f"Cannot hold this asset (a sequence, or the asset itself): {_listed(refused)}."]})
    links = EntityLink.objects.filter(entity_in__in=entities, entity_out=asset)
    if nb_occurences == 0:
        links.delete()
        return [e.id for e in entities]
    existing = {link.entity_in_id: link for link in links}
    created = [
        EntityLink(entity_in=e, entity_out=asset, nb_occurences=nb_occurences or 1, label=label or "")
        for e in entities
        if e.id not in existing
    ]
    by_id = {e.id: e for e in entities}
    changed = list(existing.values())
    for link in changed:
        link.entity_in, link.entity_out = by_id[link.entity_in_id], asset
        link.nb_occurences = link.nb_occurences if nb_occurences is None else nb_occurences
        link.label = link.label if label is None else label
    EntityLink.objects.bulk_create(_checked_links(created))
    EntityLink.objects.bulk_update(_checked_links(changed), ["nb_occurences", "label", "updated_at"])
    return [e.id for e in entities]


@transaction.atomic
def entity_link_delete(*, link):
    """Remove one line of a casting (gazu's delete_entity_link)."""
    _lock_entities([link.entity_in_id])
    link.delete()
