"""A row's History page in the admin: one record of its changes, each
change once, whatever the door (API, imports, admin).

Every admin write stores events (production.events_admin), so from a row's
first event on, Django's LogEntry of an admin edit would repeat what the
events hold: the page lists the events (who, when, field, old → new, values
named as the forms name them) and, of the LogEntry, only the edits logged
before the row's first event (before events were recorded, or with them off).
The rows edited inline on the page (a shot's casting lines and tasks) have
their changes listed there too, as Django's log listed them; a casting line
removed is still found by its holder (`entity_in_id`)."""

from collections import defaultdict

from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.text import capfirst

from production import event_history, events
from production.models import ApiEvent
from zou_site.admin_history import EMPTY, shown

ROW_ACTIONS = Q(name__endswith=":new") | Q(name__endswith=":update")
CHILD_ACTIONS = ROW_ACTIONS | Q(name__endswith=":delete")
ACTIONS = {"new": "created", "update": "changed", "delete": "deleted"}


def page_history(model_admin, request, obj):
    """The History page's context: `event_history` (newest first) and
    `earlier_log`, the LogEntry rows the events do not hold."""
    children = edited_inline(model_admin, request, obj)
    query = Q(object_id=obj.pk) & ROW_ACTIONS
    for model, fk, rows, _, _ in children:
        query |= CHILD_ACTIONS & (
            Q(object_id__in=list(rows)) | Q(name__startswith=f"{events.kebab(model.__name__)}:", **{f"data__{fk.attname}": str(obj.pk)})
        )
    found = list(ApiEvent.objects.filter(query).select_related("person").order_by("-created_at", "-id"))
    kinds = {f"{events.kebab(model.__name__)}:": (model, rows, label, fields) for model, _, rows, label, fields in children}
    own_fields = model_admin.get_form(request, obj).base_fields

    def row_of(event):
        """(model, the inline's name of its rows, the row or None when gone,
        its form's fields) of an inline row's event; None for the page's row."""
        kind = kinds.get(event.name.split(":", 1)[0] + ":") if event.object_id != obj.pk else None
        if kind is None:
            return None
        model, rows, label, fields = kind
        return model, label, rows.get(event.object_id), fields

    entries = []
    for event, field, old, new in event_history.field_changes(found):
        child = row_of(event)
        entries.append(
            {
                "when": event.created_at,
                "who": event_history.person_name(event.person) or event.data.get("via"),
                "row": child_label(*child[:3]) if child else "",
                "action": ACTIONS.get(event.name.rsplit(":", 1)[-1], event.name),
                "model": child[0] if child else type(obj),
                "form_fields": child[3] if child else own_fields,
                "field": field,
                "old": old,
                "new": new,
            }
        )
    name_values(entries)
    log = LogEntry.objects.filter(content_type=get_content_type_for_model(obj), object_id=str(obj.pk)).select_related("user")
    if found:
        log = log.filter(action_time__lt=min(event.created_at for event in found))
    return {"history_page": True, "event_history": entries, "earlier_log": list(log.order_by("-action_time"))}


def edited_inline(model_admin, request, obj):
    """[(model, fk to obj, {pk: row}, the inline's name of a row, its form's
    fields)] of the inlines that edit rows on obj's page (a read-only list,
    where an asset is cast, is not one)."""
    found = []
    for inline in model_admin.get_inline_instances(request, obj):
        if not inline.has_add_permission(request, obj) and not inline.can_delete:
            continue
        formset = inline.get_formset(request, obj)
        related = [f.name for f in inline.model._meta.concrete_fields if f.is_relation and f is not formset.fk]
        rows = inline.model._base_manager.filter(**{formset.fk.name: obj}).select_related(*related)
        found.append((inline.model, formset.fk, {row.pk: row for row in rows}, inline.verbose_name, formset.form.base_fields))
    return found


def child_label(model, label, row):
    """An inline row's name ("cast asset “Tree ×2 in P01”"), or its kind when it is gone."""
    return f"{label} “{row}”" if row is not None else f"{label} (removed)"


def name_values(entries):
    """Fields and values as the admin's forms show them: their labels, a
    status by its name rather than its id (related rows read in one query per
    related model), hours rather than seconds."""
    wanted = defaultdict(set)
    for entry in entries:
        field = model_field(entry)
        if field is not None and field.is_relation:
            for value in (entry["old"], entry["new"]):
                wanted[field.related_model].update(value if isinstance(value, list) else [value] if value else [])
    names = {
        model: {str(pk): str(row) for pk, row in model._base_manager.in_bulk(list(ids)).items()} for model, ids in wanted.items()
    }
    for entry in entries:
        field = model_field(entry)
        if field is None:
            continue
        form_field = entry["form_fields"].get(field.name)
        entry["field"] = (form_field.label if form_field is not None else None) or capfirst(field.verbose_name)
        for side in ("old", "new"):
            value = entry[side]
            if field.is_relation:
                known = names[field.related_model]
                if isinstance(value, list):
                    entry[side] = ", ".join(sorted(known.get(str(v), str(v)) for v in value)) or EMPTY
                else:
                    entry[side] = known.get(str(value), value)
            elif form_field is not None:
                entry[side] = shown(form_field, value)


def model_field(entry):
    """The model field an entry changed (by name or column), None for a
    creation, a deletion or a key of a JSON field (`data.frame_in`)."""
    if not entry["field"] or "." in entry["field"]:
        return None
    try:
        return entry["model"]._meta.get_field(entry["field"])
    except FieldDoesNotExist:
        return None
