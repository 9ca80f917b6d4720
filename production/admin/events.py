"""The event record, browsed: every stored event by name, project, author and
date, read only (events are facts of the past)."""

from django.contrib import admin

from production.models import ApiEvent


@admin.register(ApiEvent)
class ApiEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "name", "project", "author", "object_id")
    list_filter = ("name", "project", "person", "created_at")
    list_select_related = ("project", "person")
    date_hierarchy = "created_at"
    search_fields = ("name", "=object_id")
    readonly_fields = ("id", "name", "created_at", "project", "person", "object_id", "data")
    show_full_result_count = False

    @admin.display(description="who", ordering="person")
    def author(self, event):
        """The person, else the door that acted alone (`manage.py import_csv (os user: ...)`)."""
        return event.person or event.data.get("via") or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_manager_or_admin
