import math

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from production.admin.task_actions import (
    TASK_LIST_ACTIONS,
    TaskListActionForm,
    hold_status_changes,
    status_changes_commented,
)
from production.admin.common import ColorSwatchMixin, as_days, count_column, count_of, task_path, with_path_label
from production.admin.filters import TaskEpisodeFilter, TaskProgressFilter, TaskSequenceFilter
from production.admin.project_context import (
    CommentProjectFilter,
    ProjectContextFilter,
    ProjectContextMixin,
    TaskProjectFilter,
)
from production import services
from production.models import Comment, Entity, Task, TaskStatus, TaskType, TimeSpent
from production.services import task_status_default

ASSIGNEE_SEARCH = ("assignees__first_name", "assignees__last_name", "assignees__email")


@admin.register(TaskType)
class TaskTypeAdmin(ColorSwatchMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "department", "for_entity", "for_shots", "priority", "color_swatch", "nb_tasks")
    list_filter = ("department", "for_entity", "for_shots")
    search_fields = ("name", "short_name", "department__name")
    list_select_related = ("department",)

    nb_tasks = count_column("nb_tasks", "tasks")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_tasks=count_of(Task.objects.all(), "task_type"))


@admin.register(TaskStatus)
class TaskStatusAdmin(ColorSwatchMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "color_swatch", "is_default", "is_done", "is_reviewable", "nb_tasks")
    list_filter = ("is_default", "is_done", "is_reviewable")
    search_fields = ("name", "short_name")

    nb_tasks = count_column("nb_tasks", "tasks")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_tasks=count_of(Task.objects.all(), "task_status"))


def entity_label(entity):
    """'SQ01 / SH010': shot names repeat in every sequence, so the parent tells them apart."""
    return f"{entity.parent.name} / {entity.name}" if entity.parent_id else entity.name


class HoursField(forms.Field):
    """A time stored in seconds (as the API keeps it), read and written in
    hours: 115200 seconds meant nothing to a coordinator, 32 h does."""

    widget = forms.NumberInput(attrs={"step": "0.25", "min": "0"})

    def prepare_value(self, value):
        # Initial values come from the row (seconds, an int); a re-shown form's from the input (hours, text).
        if isinstance(value, int):
            return f"{value / 3600:g}"
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return 0
        try:
            hours = float(str(value).replace(",", "."))
        except ValueError:
            raise ValidationError("Enter a number of hours, such as 4 or 1.5.")
        if not math.isfinite(hours) or hours < 0:
            raise ValidationError("Enter a number of hours of 0 or more.")
        return round(hours * 3600)


def hours_field(model_field, label, help_text):
    return HoursField(label=label, help_text=help_text, required=False, initial=model_field.default)


class TaskForm(forms.ModelForm):
    estimation = hours_field(Task._meta.get_field("estimation"), "Estimation (hours)", "In hours; a day is 8 hours.")
    duration = hours_field(Task._meta.get_field("duration"), "Time spent (hours)", "In hours; a day is 8 hours.")

    def clean(self):
        cleaned_data = super().clean()
        entity, project = cleaned_data.get("entity"), cleaned_data.get("project")
        if entity and project and entity.project_id != project.pk:
            self.add_error("entity", f"{entity.name} belongs to another project than {project}.")
        return cleaned_data


@admin.register(Task)
class TaskAdmin(ProjectContextMixin, admin.ModelAdmin):
    form = TaskForm
    action_form = TaskListActionForm
    actions = TASK_LIST_ACTIONS
    list_display = (
        "entity_column", "entity_type", "task_type", "name", "task_status", "assignee_names", "project", "due_date", "estimated",
    )
    list_filter = (
        ProjectContextFilter,
        TaskEpisodeFilter,
        TaskSequenceFilter,
        TaskProgressFilter,
        "task_type",
        "task_status",
        "assignees",
        ("entity__entity_type", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "name",
        "entity__name",
        "entity__parent__name",
        "project__name",
        "task_type__name",
        *ASSIGNEE_SEARCH,
    )
    list_select_related = ("project", "task_type", "task_status", "entity__parent", "entity__entity_type")
    autocomplete_fields = ("project", "entity", "assigner", "assignees")
    readonly_fields = ("created_at", "updated_at", "comment_thread")
    fieldsets = (
        (None, {"fields": ("project", "entity", "task_type", "name", "task_status", "description")}),
        ("Comments and status history", {"fields": ("comment_thread",)}),
        ("Assignation", {"fields": ("assignees", "assigner")}),
        ("Schedule", {"fields": ("estimation", "duration", "completion_rate", "start_date", "due_date", "end_date", "real_start_date")}),
        ("Pipeline", {"classes": ("collapse",), "fields": ("sort_order", "shotgun_id", "created_at", "updated_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # A task being added has no comments yet.
        return fieldsets if obj is not None else [f for f in fieldsets if "comment_thread" not in f[1]["fields"]]

    @admin.display(description="Comments")
    def comment_thread(self, task):
        """The task's comments, oldest first: each status change is one (the API's status history)."""
        comments = Comment.objects.filter(object_id=task.pk).select_related("person", "task_status").order_by("created_at", "id")
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td>{}</td><td class="comment-status">{}</td><td class="comment-text">{}</td></tr>',
            (
                (
                    f"{comment.created_at:%Y-%m-%d %H:%M}",
                    comment.person.full_name or comment.person.email if comment.person else "—",
                    comment.task_status.name if comment.task_status else "",
                    comment.text,
                )
                for comment in comments
            ),
        )
        if not rows:
            return "No comment yet."
        return format_html(
            '<table class="comment-thread"><thead><tr><th>When</th><th>Who</th><th>Status</th><th>Comment</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        held = hold_status_changes([form])
        super().save_model(request, obj, form, change)
        status_changes_commented(held, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task_status":
            # A new task starts at the studio's default status (To do), as the API creates it.
            kwargs.setdefault("initial", services.task_status_default)
        if db_field.name == "entity":
            # The chosen entity shows with its full path, as the autocomplete lists it.
            kwargs["queryset"] = with_path_label(Entity.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Joined here, not only in the list, because entity and task_type make a
        # task's name wherever it is shown (time spents' autocomplete, delete
        # confirmations); Django then skips list_select_related, hence all of it.
        queryset = super().get_queryset(request).select_related(*self.list_select_related).prefetch_related("assignees")
        return queryset.annotate(path_label=task_path())

    @admin.display(description="entity", ordering="entity__name")
    def entity_column(self, task):
        return entity_label(task.entity)

    @admin.display(description="entity type", ordering="entity__entity_type__name")
    def entity_type(self, task):
        return task.entity.entity_type

    @admin.display(description="estimation", ordering="estimation")
    def estimated(self, task):
        return as_days(task.estimation) if task.estimation else "—"

    @admin.display(description="assignees")
    def assignee_names(self, task):
        return ", ".join(person.full_name or person.email for person in task.assignees.all())


class TaskInlineFormSet(BaseInlineFormSet):
    """Tasks edited on a shot's or an asset's page belong to its project. The
    project is no column of the inline, so Django would neither set it nor check
    the (name, project, task_type, entity) constraint: this formset does both,
    once the entity's own form has been cleaned and its project is known."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if form.errors or form in self.deleted_forms or not form.has_changed():
                continue
            task = form.instance
            task.project_id = self.instance.project_id
            key = (task.task_type_id, task.name)
            if key in seen:
                form.add_error(None, f"This {task.task_type} task “{task.name}” is listed twice.")
                continue
            seen.add(key)
            try:
                task.validate_constraints()
            except ValidationError as error:
                form.add_error(None, error)


class TaskInline(admin.TabularInline):
    model = Task
    formset = TaskInlineFormSet
    fields = ("task_type", "name", "task_status", "assignees", "start_date", "due_date")
    autocomplete_fields = ("assignees",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # entity and task_type make each row's title; assignees its initial value.
        return super().get_queryset(request).select_related("entity", "task_type").prefetch_related("assignees")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task_status":
            kwargs["initial"] = task_status_default()
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Listed once for the formset: each row would otherwise query its own copy.
        formfield.choices = list(formfield.choices)
        return formfield

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A row's ✖ beside its status deleted the status itself, studio-wide:
        # statuses and task types are edited on their own screens, not from a task row.
        if db_field.name in ("task_type", "task_status"):
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        return formfield


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "task_label", "task_status", "person", "created_at")
    list_filter = (CommentProjectFilter, "task_status", "object_type")
    search_fields = ("text", "person__first_name", "person__last_name", "person__email")
    list_select_related = ("person", "task_status")
    autocomplete_fields = ("person",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # A comment points at its task by id (no foreign key), so the task's
        # name comes from a subquery rather than a query per row.
        task_label = Task.objects.filter(pk=OuterRef("object_id")).annotate(label=task_path()).values("label")[:1]
        return super().get_queryset(request).annotate(task_label=Subquery(task_label))

    @admin.display(description="text")
    def excerpt(self, comment):
        return str(comment)

    @admin.display(description="task")
    def task_label(self, comment):
        return comment.task_label


class TimeSpentForm(forms.ModelForm):
    duration = hours_field(TimeSpent._meta.get_field("duration"), "Hours", "Time spent that day, in hours.")


@admin.register(TimeSpent)
class TimeSpentAdmin(admin.ModelAdmin):
    form = TimeSpentForm
    list_display = ("person", "task", "date", "hours")
    list_filter = (TaskProjectFilter, "date")
    search_fields = ("person__first_name", "person__last_name", "person__email", "task__entity__name", "task__project__name")
    list_select_related = ("person", "task__entity", "task__task_type")
    autocomplete_fields = ("person", "task")
    date_hierarchy = "date"

    @admin.display(description="hours", ordering="duration")
    def hours(self, time_spent):
        return round(time_spent.duration / 3600, 2)
