"""Bulk actions of the shot and asset lists: tasks of chosen types for the
selected rows, and cancelling, through the same services as the API."""

from django import forms
from django.contrib import admin, messages

from production import services
from production.admin.task_actions import form_errors_text
from production.models import TaskType


class EntityListActionForm(admin.helpers.ActionForm):
    task_types = forms.ModelMultipleChoiceField(
        queryset=TaskType.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 3})
    )


@admin.action(description="Create tasks of the chosen task types")
def create_tasks(model_admin, request, queryset):
    form = EntityListActionForm(request.POST)
    form.fields["action"].choices = model_admin.get_action_choices(request)
    if form.is_valid() and not form.cleaned_data["task_types"]:
        form.add_error("task_types", "Choose at least one task type.")
    if form.errors:
        for message in form_errors_text(form):
            model_admin.message_user(request, message, messages.ERROR)
        return
    entities = list(queryset)
    for task_type in form.cleaned_data["task_types"]:
        services.tasks_create_for_entities(task_type=task_type, entities=entities)
    names = ", ".join(str(task_type) for task_type in form.cleaned_data["task_types"])
    model_admin.message_user(request, f"{names} tasks on {len(entities)} rows (existing ones kept).")


@admin.action(description="Cancel the selected rows")
def cancel(model_admin, request, queryset):
    count = services.entities_set_canceled(entities=queryset, canceled=True)
    model_admin.message_user(request, f"{count} canceled.")


@admin.action(description="Uncancel the selected rows")
def uncancel(model_admin, request, queryset):
    count = services.entities_set_canceled(entities=queryset, canceled=False)
    model_admin.message_user(request, f"{count} no longer canceled.")
