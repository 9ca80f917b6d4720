"""Admin screens for the files models, built for coordinators: the columns
they sort by, filters by project, search by name and path, and the
thumbnail on the working and preview file pages."""

from django.contrib import admin

from files.models import FileStatus, OutputFile, OutputType, PreviewFile, Software, WorkingFile
from files.thumbnails_admin import thumbnail_html

# Task.__str__ shows its entity and task type: select them with the task.
TASK_LABEL = ("task__entity", "task__task_type")


@admin.register(FileStatus)
class FileStatusAdmin(admin.ModelAdmin):
    list_display = ("name", "color", "updated_at")
    search_fields = ("name",)


@admin.register(Software)
class SoftwareAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "file_extension", "updated_at")
    search_fields = ("name", "short_name", "file_extension")


@admin.register(OutputType)
class OutputTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "updated_at")
    search_fields = ("name", "short_name")


@admin.register(WorkingFile)
class WorkingFileAdmin(admin.ModelAdmin):
    list_display = ("name", "revision", "task", "software", "person", "path", "updated_at")
    list_filter = ("task__project", "task__task_type", "software")
    search_fields = ("name", "path", "comment", "entity__name")
    list_select_related = (*TASK_LABEL, "software", "person")
    raw_id_fields = ("task", "entity", "person")
    autocomplete_fields = ("software",)
    readonly_fields = ("thumbnail", "created_at", "updated_at")
    ordering = ("-updated_at",)

    @admin.display(description="Thumbnail")
    def thumbnail(self, obj):
        return thumbnail_html("working-files", obj)


@admin.register(OutputFile)
class OutputFileAdmin(admin.ModelAdmin):
    list_display = ("name", "revision", "task", "output_type", "file_status", "person", "path", "updated_at")
    list_filter = ("task__project", "output_type", "file_status")
    search_fields = ("name", "path", "comment", "entity__name")
    list_select_related = (*TASK_LABEL, "output_type", "file_status", "person")
    raw_id_fields = ("task", "entity", "person", "source_file")
    autocomplete_fields = ("output_type", "file_status")
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-updated_at",)


@admin.register(PreviewFile)
class PreviewFileAdmin(admin.ModelAdmin):
    list_display = ("name", "revision", "task", "person", "is_movie", "updated_at")
    list_filter = ("task__project", "is_movie")
    search_fields = ("name", "description", "uploaded_movie_name")
    list_select_related = (*TASK_LABEL, "person")
    raw_id_fields = ("task", "person", "source_file")
    readonly_fields = ("thumbnail", "created_at", "updated_at")
    ordering = ("-updated_at",)

    @admin.display(description="Thumbnail")
    def thumbnail(self, obj):
        return thumbnail_html("preview-files", obj)
