from django.contrib import admin
from django.urls import path
from django.utils.html import format_html

from production.admin.board import board_urls
from production.admin.common import ColorSwatchMixin, count_column, count_of
from production.admin.progress import progress_urls
from production.admin.project_context import project_context_view
from production.models import Asset, Episode, Project, ProjectStatus, Sequence, Shot, Task


@admin.register(ProjectStatus)
class ProjectStatusAdmin(ColorSwatchMixin, admin.ModelAdmin):
    list_display = ("name", "color_swatch", "nb_projects")
    search_fields = ("name",)

    nb_projects = count_column("nb_projects", "projects")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_projects=count_of(Project.objects.all(), "project_status"))


# Annotation name: the rows of a project it counts.
BREAKDOWN_COUNTS = {
    "nb_episodes": Episode.objects,
    "nb_sequences": Sequence.objects,
    "nb_shots": Shot.objects,
    "nb_assets": Asset.objects,
    "nb_tasks": Task.objects,
}


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "work_on", "project_status", "fps", *BREAKDOWN_COUNTS)
    list_filter = ("project_status",)
    search_fields = ("name", "description")
    list_select_related = ("project_status",)
    autocomplete_fields = ("team",)
    readonly_fields = tuple(BREAKDOWN_COUNTS)
    fieldsets = (
        (None, {"fields": ("name", "project_status", "fps", "description")}),
        ("Team", {"fields": ("team",)}),
        ("Breakdown", {"fields": tuple(BREAKDOWN_COUNTS)}),
        ("Pipeline", {"classes": ("collapse",), "fields": ("shotgun_id", "file_tree", "data")}),
    )

    nb_episodes = count_column("nb_episodes", "episodes")
    nb_sequences = count_column("nb_sequences", "sequences")
    nb_shots = count_column("nb_shots", "shots")
    nb_assets = count_column("nb_assets", "assets")
    nb_tasks = count_column("nb_tasks", "tasks")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(**{name: count_of(rows.all(), "project") for name, rows in BREAKDOWN_COUNTS.items()})
        )

    @admin.display(description="context")
    def work_on(self, project):
        # Submits the context bar's form (present on every page), not the list's own.
        return format_html(
            '<button type="submit" form="project-context-form" name="project" value="{}" class="button">Work on</button>',
            project.pk,
        )

    def get_urls(self):
        context = path("context/", self.admin_site.admin_view(project_context_view), name="production_project_context")
        return [*board_urls(self), *progress_urls(self), context, *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        # A project being added has nothing to count yet.
        if obj is None:
            return [fieldset for fieldset in self.fieldsets if fieldset[0] != "Breakdown"]
        return self.fieldsets
