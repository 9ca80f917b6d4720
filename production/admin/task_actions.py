"""Bulk changes of tasks, shared by the production board and the task list:
one form of values and one function carrying out an action through the same
services as the API (a status change is a comment, as the API writes it)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction

from production import services
from production.models import Person, Task, TaskStatus

ACTIONS = {
    "status": "Change status (with a comment)",
    "comment": "Comment",
    "assign": "Assign",
    "unassign": "Unassign",
    "due_date": "Set due date",
}
# The value each action needs beyond the chosen tasks.
NEEDS = {"status": "task_status", "comment": "comment", "assign": "person", "due_date": "due_date"}


class TaskChangeFields(forms.Form):
    task_status = forms.ModelChoiceField(queryset=TaskStatus.objects.all(), required=False)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))
    person = forms.ModelChoiceField(queryset=Person.objects.filter(is_bot=False), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def check_needs(self, action):
        needed = NEEDS.get(action)
        if needed and not self.cleaned_data.get(needed):
            self.add_error(needed, "This action needs a value here.")


def form_errors_text(form):
    return [f"{form[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors) for name, errors in form.errors.items()]


@transaction.atomic
def change_tasks(*, action, tasks, data, person):
    """Carry out one bulk action on tasks, all or nothing; answers what was done."""
    tasks = list(tasks)
    if action in ("status", "comment"):
        status = data["task_status"] if action == "status" else None
        for task in tasks:
            services.comment_create(task=task, person=person, text=data["comment"], task_status=status)
        return f"{len(tasks)} tasks set to {status}." if status else f"{len(tasks)} tasks commented."
    if action == "assign":
        services.tasks_assign_person(person=data["person"], tasks=tasks, assigner=person)
        return f"{len(tasks)} tasks assigned to {data['person']}."
    if action == "unassign":
        services.tasks_clear_assignation(tasks=tasks, person=data["person"])
        return f"{data['person'] or 'Everyone'} unassigned from {len(tasks)} tasks."
    services.tasks_schedule(tasks=tasks, due_date=data["due_date"])
    return f"{len(tasks)} tasks due on {data['due_date']:%Y-%m-%d}."


class TaskListActionForm(admin.helpers.ActionForm, TaskChangeFields):
    """The task list's action bar: the action and the values it uses. The
    person is an autocomplete, so the list does not read every person."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.filter(is_bot=False),
        required=False,
        widget=AutocompleteSelect(Task._meta.get_field("assigner"), admin.site),
    )


def list_action(action):
    """An admin action of the task list running change_tasks on the selected rows."""

    @admin.action(description=f"{ACTIONS[action]} (selected tasks)")
    def run(model_admin, request, queryset):
        fields = TaskChangeFields(request.POST)
        if fields.is_valid():
            fields.check_needs(action)
        if fields.errors:
            for message in form_errors_text(fields):
                model_admin.message_user(request, message, messages.ERROR)
            return
        model_admin.message_user(request, change_tasks(action=action, tasks=queryset, data=fields.cleaned_data, person=request.user))

    run.__name__ = f"tasks_{action}"
    return run


TASK_LIST_ACTIONS = [list_action(action) for action in ACTIONS]


def hold_status_changes(forms_):
    """Before task forms are saved: each changed status is put back and
    answered, to be written afterwards by status_changes_commented() as the
    API writes a status change, a comment (the task's status history)."""
    held = []
    for form in forms_:
        instance = form.instance
        if instance.pk and "task_status" in form.changed_data and form.initial.get("task_status"):
            held.append((instance, instance.task_status))
            instance.task_status_id = form.initial["task_status"]
    return held


def status_changes_commented(held, person):
    for task, status in held:
        services.comment_create(task=task, person=person, task_status=status)
        task.refresh_from_db()
