"""The admin's writes store their events (production.events): every admin
the site registers gets this mixin (zou_site.admin), so adding, changing and
deleting a row, its inline rows and bulk deletions emit `<type>:new|update|delete`
in the admin's transaction, with the signed-in coordinator as their author.

What the admin writes through services (a task's status becomes a comment)
is recorded by the service: those fields are left out here."""

import copy
import uuid

from django.contrib.admin.utils import unquote
from django.db import models

from production import casting, events
from production.history_admin import page_history
from production.models import EntityLink


def _related(queryset):
    """Entities are named by their kind: read it with the rows, not per row."""
    if issubclass(queryset.model, models.Model) and any(f.name == "entity_type" for f in queryset.model._meta.fields):
        return queryset.select_related("entity_type")
    return queryset


# Records about the service itself, not production rows.
UNRECORDED_MODELS = {"production.ApiEvent", "production.FailedLogin", "imports.DataImportError"}


class EventsAdminMixin:
    # History: the row's changes from every door, each once (production.history_admin).
    object_history_template = "admin/production/event_history.html"

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        # Django answers a missing row or a refused person; rows of integer ids have no event.
        if obj is not None and isinstance(obj.pk, uuid.UUID) and self.has_view_or_change_permission(request, obj):
            extra_context = {**(extra_context or {}), **page_history(self, request, obj)}
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        many_to_many = [f.name for f in obj._meta.many_to_many if f.name in form.fields]
        before = events.snapshot(type(obj)._base_manager.get(pk=obj.pk), many_to_many) if change else None
        with events.collecting() as recorded:
            super().save_model(request, obj, form, change)
        if before is None:
            if not any(e.object_id == obj.pk and e.name.endswith(":new") for e in recorded):
                events.store([events.created(obj)])
        else:
            # Many-to-many fields are saved after: compared in save_related.
            request._event_before = (obj, before, recorded)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = getattr(request, "_event_before", None)
        if pending is not None:
            obj, before, recorded = pending
            del request._event_before
            events.store(events.update_events(obj, before, recorded=recorded))

    def save_formset(self, request, form, formset, change):
        changed = [f.instance.pk for f in formset.initial_forms if f.instance.pk and f.has_changed()]
        originals = formset.model._base_manager.in_bulk(changed) if changed else {}
        before = {pk: events.snapshot(row) for pk, row in originals.items()}
        if formset.model is EntityLink:
            # A casting edited inline: the casting services' events.
            removed = [copy.copy(f.instance) for f in formset.deleted_forms if f.instance.pk]  # deletion clears pk
            super().save_formset(request, form, formset, change)
            updated = [(row, before[row.pk]) for row, _ in formset.changed_objects if row.pk in before]
            events.store(casting.casting_events([form.instance], created=formset.new_objects, changed=updated, deleted=removed))
            return
        gone = events.rows_events([f.instance for f in formset.deleted_forms if f.instance.pk], "delete")
        with events.collecting() as recorded:
            super().save_formset(request, form, formset, change)
        found = [events.created(row) for row in formset.new_objects] + gone
        for row, _ in formset.changed_objects:
            if row.pk in before:
                found += events.update_events(row, before[row.pk], recorded=recorded)
        events.store(found)

    def delete_model(self, request, obj):
        [gone] = events.rows_events([obj], "delete")
        super().delete_model(request, obj)
        events.store([gone])

    def delete_queryset(self, request, queryset):
        gone = events.rows_events(_related(queryset), "delete")
        super().delete_queryset(request, queryset)
        events.store(gone)
