"""History pages that say what changed: each admin edit's LogEntry message
lists its fields old → new ("Status: Todo → WIP; Due date: — → 2026-12-10")
where Django only wrote "Changed Status and Due date.".

Only the admin's own LogEntry message is written here; the field-level history
of every door (API, imports) is a separate record of its own."""

from django import forms
from django.db.models import Model

# Never written into a history line.
SECRET_FIELDS = {"password", "password1", "password2", "usable_password"}
MAX_VALUE_LENGTH = 80
EMPTY = "—"


def shown(field, value):
    """A field's value as a person reads it in the form."""
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(field, forms.ModelMultipleChoiceField):
        rows = value if not isinstance(value, (list, tuple, set)) or all(isinstance(v, Model) for v in value) else None
        if rows is None:
            rows = field.queryset.filter(pk__in=[getattr(v, "pk", v) for v in value])
        text = ", ".join(sorted(str(row) for row in rows)) or EMPTY
    elif isinstance(field, forms.ModelChoiceField):
        if isinstance(value, Model):
            text = str(value)
        else:
            row = field.queryset.filter(pk=value).first()
            text = str(row) if row is not None else str(value)
    elif isinstance(field, forms.ChoiceField):
        text = str(dict(field.choices).get(value, value))
    elif isinstance(field, forms.FileField):
        return "a new file"
    else:
        text = str(field.prepare_value(value))
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def form_changes(form):
    """'Label: old → new' of each field the form changed."""
    changes = []
    for name in form.changed_data:
        if name in SECRET_FIELDS or name not in form.fields:
            continue
        field = form.fields[name]
        old = form.initial.get(name, field.initial)
        if callable(old):
            old = old()
        new = form.cleaned_data.get(name)
        label = field.label or name.replace("_", " ").capitalize()
        changes.append(f"{label}: {shown(field, old)} → {shown(field, new)}")
    return changes


class ChangeHistoryMixin:
    """Applied by ZouAdminSite to every admin."""

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        parts = form_changes(form)
        for formset in formsets or []:
            name = formset.model._meta.verbose_name
            for inline_form in formset.forms:
                instance = inline_form.instance
                if instance in getattr(formset, "new_objects", []):
                    parts.append(f"Added {name} “{instance}”")
                elif instance in getattr(formset, "deleted_objects", []):
                    parts.append(f"Deleted {name} “{instance}”")
                elif inline_form.has_changed() and instance.pk:
                    changes = form_changes(inline_form)
                    if changes:
                        parts.append(f"{name} “{instance}”: {', '.join(changes)}")
        if not parts:
            return super().construct_change_message(request, form, formsets, add)
        return "; ".join(parts) + "."
