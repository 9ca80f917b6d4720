"""List filters reaching through the breakdown: shots and tasks by sequence
or episode, tasks by how far they are (done, in review, late). The progress
page links to the task list through them."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from production.admin.common import breadcrumb
from production.admin.project_context import context_project_id
from production.models import Episode, Sequence


class BreakdownFilter(admin.SimpleListFilter):
    """Rows under one sequence or episode. Listed for the project in context
    only (the project filter comes first and sets it): a studio's every
    sequence would be a long list."""

    kind = Sequence
    # The lookup from a listed row to the parent it is filtered by.
    lookup = "parent"

    def lookups(self, request, model_admin):
        parents = self.kind.objects.select_related("project", "parent").order_by("project__name", "parent__name", "name")
        project_id = context_project_id(request)
        if project_id:
            parents = parents.filter(project_id=project_id)
        return [(str(parent.pk), breadcrumb(parent)) for parent in parents]

    def queryset(self, request, queryset):
        return queryset.filter(**{f"{self.lookup}_id": self.value()}) if self.value() else queryset


class SequenceFilter(BreakdownFilter):
    title = parameter_name = "sequence"


class TaskSequenceFilter(SequenceFilter):
    lookup = "entity__parent"


class TaskEpisodeFilter(BreakdownFilter):
    title = parameter_name = "episode"
    kind = Episode

    def queryset(self, request, queryset):
        # A shot's episode is its sequence's parent; a sequence's task sits on the sequence itself.
        if not self.value():
            return queryset
        return queryset.filter(Q(entity__parent__parent_id=self.value()) | Q(entity__parent_id=self.value()))


def late(prefix=""):
    """Tasks past their due date and not done."""
    return Q(**{f"{prefix}due_date__lt": timezone.localdate()}) & ~Q(**{f"{prefix}task_status__is_done": True})


class TaskProgressFilter(admin.SimpleListFilter):
    title = "progress"
    parameter_name = "progress"
    STATES = {
        "done": ("Done", Q(task_status__is_done=True)),
        "review": ("In review", Q(task_status__is_reviewable=True, task_status__is_done=False)),
        "late": ("Late", None),
        "open": ("Not done", Q(task_status__is_done=False)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.STATES:
            return queryset
        condition = self.STATES[self.value()][1]
        return queryset.filter(late() if condition is None else condition)
