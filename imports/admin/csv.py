"""CSV import (with django-import-export's preview before confirming) and
export on the Person, Project, Shot, Asset, TaskType and Task admin pages.

The production app owns those admin classes; to keep dependencies pointing
imports → production, each is re-registered here as a subclass adding
ImportExportMixin with the kind's Resource. The imports app loads after
production, so its admin classes are registered by the time this runs.
"""

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

from imports.csv.resources import CSV_RESOURCES
from imports.csv.services import may_import
from imports.csv.sheets import whole_sheet


class SheetCSV(CSV):
    """CSV read as the REST routes and manage.py read it: `,` or `;`, with or
    without a BOM, blank rows skipped, each row's file line kept."""

    def create_dataset(self, in_stream, **kwargs):
        return whole_sheet(in_stream)


class CsvAdminMixin:
    formats = [SheetCSV]

    def has_import_permission(self, request):
        return may_import(request.user, self.resource_classes[0].kind)

    def get_export_queryset(self, request):
        """The rows the change list shows (its filters and search), without
        the annotations the list adds: the Resource joins what it exports."""
        shown = super().get_export_queryset(request)
        return self.model._default_manager.filter(pk__in=shown.values("pk"))


def add_csv(resource_class):
    model = resource_class._meta.model
    registered = admin.site._registry.get(model)
    base = type(registered) if registered else admin.ModelAdmin
    if registered:
        admin.site.unregister(model)
    admin.site.register(
        model,
        type(f"{base.__name__}WithCsv", (CsvAdminMixin, ImportExportMixin, base), {"resource_classes": [resource_class]}),
    )


for resource_class in CSV_RESOURCES.values():
    add_csv(resource_class)
