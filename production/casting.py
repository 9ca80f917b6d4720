"""Casting writes (issue 15): keyword-only services over the EntityLink rows
behind Entity.entities_out, each in one transaction. A module of its own
beside production.services, which holds every other write.

Each write stores Zou's events in its transaction (production.events), built
from the rows in hand, in one insert whatever the number of links:
`entity-link:new|update|delete` per link, then `<kind>:casting-update` once per
entity whose casting changed (`shot`, `episode`, `asset`). The admin's
casting inline (production.events_admin) and `entities_out` written through
an entity's data route (production.api.entity_views) store the same."""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from production import events
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
    existing = {link.entity_out_id: link for link in EntityLink.objects.filter(entity_in=entity)}
    gone = [link for asset_id, link in existing.items() if asset_id not in wanted]
    _delete(gone)
    changed, created = [], []
    for asset_id, entry in wanted.items():
        link = existing.get(asset_id)
        if link is None:
            link = EntityLink(entity_in=entity, entity_out=assets[asset_id])
            created.append(link)
        elif (link.nb_occurences, link.label) != (entry["nb_occurences"], entry["label"]):
            changed.append((link, link_values(link)))
        link.entity_in, link.entity_out = entity, assets[asset_id]
        link.nb_occurences, link.label = entry["nb_occurences"], entry["label"]
    _save(created, changed)
    events.store(casting_events([entity], created=created, changed=changed, deleted=gone, counts={entity.pk: len(wanted)}))
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
    existing = {link.entity_in_id: link for link in EntityLink.objects.filter(entity_in__in=entities, entity_out=asset)}
    by_id = {e.id: e for e in entities}
    if nb_occurences == 0:
        gone = list(existing.values())
        _delete(gone)
        events.store(casting_events(entities, deleted=gone))
        return [e.id for e in entities]
    created = [
        EntityLink(entity_in=e, entity_out=asset, nb_occurences=nb_occurences or 1, label=label or "")
        for e in entities
        if e.id not in existing
    ]
    changed = []
    for link in existing.values():
        before = link_values(link)
        link.entity_in, link.entity_out = by_id[link.entity_in_id], asset
        link.nb_occurences = link.nb_occurences if nb_occurences is None else nb_occurences
        link.label = link.label if label is None else label
        if link_values(link) != before:
            changed.append((link, before))
    _save(created, changed)
    events.store(casting_events(entities, created=created, changed=changed))
    return [e.id for e in entities]


@transaction.atomic
def entity_link_delete(*, link):
    """Remove one line of a casting (gazu's delete_entity_link)."""
    (holder,) = _lock_entities([link.entity_in_id])
    gone = copy.copy(link)  # deletion clears the link's id, its event names it
    link.delete()
    events.store(casting_events([holder], deleted=[gone]))


def links_of(entity):
    """{asset id: link} of an entity's casting; {} for one not saved yet."""
    return {} if entity is None else {link.entity_out_id: link for link in EntityLink.objects.filter(entity_in=entity)}


def entities_out_events(entity, before):
    """The casting events of a write of `entities_out` through the entity's
    row (the data routes: links added count 1, links kept keep their count),
    `before` its links_of() read before the write."""
    after = links_of(entity)
    return casting_events(
        [entity],
        created=[link for asset_id, link in after.items() if asset_id not in before],
        deleted=[link for asset_id, link in before.items() if asset_id not in after],
        counts={entity.pk: len(after)},
    )


def _delete(links):
    if links:
        EntityLink.objects.filter(pk__in=[link.pk for link in links]).delete()


def _save(created, changed):
    EntityLink.objects.bulk_create(_checked_links(created))
    EntityLink.objects.bulk_update(_checked_links([link for link, _ in changed]), ["nb_occurences", "label", "updated_at"])


# --- events ----------------------------------------------------------------------

# What an entity-link:update records old → new.
LINK_FIELDS = ("nb_occurences", "label")


def link_values(link):
    return {field: getattr(link, field) for field in LINK_FIELDS}


def link_event(link, action, *, project_id, changes=None):
    """Zou's `entity-link:<action>`: the link, its two entities, its count
    (and, for an update, the fields that changed, old → new: its history)."""
    data = {
        "entity_link_id": link.pk,
        "entity_in_id": link.entity_in_id,
        "entity_out_id": link.entity_out_id,
        "nb_occurences": link.nb_occurences,
    }
    if changes:
        data["changes"] = changes
    return events.event(f"entity-link:{action}", data=data, project_id=project_id, object_id=link.pk)


def casting_events(entities, *, created=(), changed=(), deleted=(), counts=None):
    """The events of a casting write: one per link created, changed (as
    (link, {field: value before}), e.g. its link_values) or deleted, then one
    `<kind>:casting-update` per entity whose casting changed (`entities`: the
    holders in hand, their type loaded), with `nb_entities_out`, its number of
    cast assets after the write (read in one query unless `counts` gives them)."""
    touched = _holders_touched(created, changed, deleted)
    holders = {holder.pk: (events.type_name(holder), holder.project_id) for holder in entities if holder.pk in touched}
    return link_events(holders, created=created, changed=changed, deleted=deleted, counts=counts)


def _holders_touched(created=(), changed=(), deleted=()):
    """The ids of the entities holding the links written (`changed` as (link, before) pairs)."""
    return {link.entity_in_id for link in [*created, *(link for link, _ in changed), *deleted]}


def stored_link_events(*, created=(), deleted=()):
    """casting_events for a bulk write whose holders are not in hand (an
    import): their kind and project read in one query."""
    touched = _holders_touched(created, deleted=deleted)
    if not touched or not events.enabled():
        return []
    holders = {
        pk: (events.entity_kind(type_name), project_id)
        for pk, project_id, type_name in Entity.objects.filter(pk__in=touched).values_list("pk", "project_id", "entity_type__name")
    }
    return link_events(holders, created=created, deleted=deleted)


def link_events(holders, *, created=(), changed=(), deleted=(), counts=None):
    """casting_events' work, `holders` as {entity id: (kind, project id)}."""
    touched = _holders_touched(created, changed, deleted)
    holders = {pk: holder for pk, holder in holders.items() if pk in touched}
    if not holders or not events.enabled():
        return []
    project_of = {pk: project_id for pk, (_, project_id) in holders.items()}
    found = [link_event(link, "new", project_id=project_of[link.entity_in_id]) for link in created]
    for link, before in changed:
        changes = events.changes_between(before, {field: getattr(link, field) for field in before})
        found.append(link_event(link, "update", project_id=project_of[link.entity_in_id], changes=changes))
    found += [link_event(link, "delete", project_id=project_of[link.entity_in_id]) for link in deleted]
    if counts is None:
        counts = dict(
            EntityLink.objects.filter(entity_in_id__in=holders).values("entity_in_id").annotate(n=Count("id")).values_list("entity_in_id", "n")
        )
    for pk, (kind, project_id) in holders.items():
        data = {events.id_key(kind): pk, "nb_entities_out": counts.get(pk, 0)}
        found.append(events.event(f"{kind}:casting-update", data=data, project_id=project_id, object_id=pk))
    return found
