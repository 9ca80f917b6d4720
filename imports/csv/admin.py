"""CSV import (with django-import-export's preview before confirming) and
export on the Person, Project, Shot, Asset, TaskType and Task admin pages:
mixins this app offers for production's admin classes, which zou_site.admin
composes with them (production must not depend on imports).
"""

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

    # Exports write the cells of CsvResource.export(), as the REST route
    # writes them: no formula runs when the file is opened.


class SpreadsheetCSV(SheetCSV):
    """An export for spreadsheets: a UTF-8 BOM (without one Excel reads
    'Chloé' as 'ChloÃ©') and the separator the spreadsheet's locale expects."""

    delimiter = ","
    title = "csv for Excel (UTF-8 with BOM, comma)"

    def get_title(self):
        return self.title

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + dataset.export("csv", delimiter=self.delimiter, **kwargs)


class SemicolonSpreadsheetCSV(SpreadsheetCSV):
    """European locales read a comma as the decimal mark and split on ';'."""

    delimiter = ";"
    title = "csv for Excel in European locales (UTF-8 with BOM, semicolon)"


class CsvAdminMixin:
    formats = [SheetCSV]
    export_formats = [SheetCSV, SpreadsheetCSV, SemicolonSpreadsheetCSV]
    import_template_name = "admin/imports/csv_import.html"

    def has_import_permission(self, request):
        return may_import(request.user, self.resource_classes[0].kind)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "actor": request.user}

    def get_export_queryset(self, request):
        """The rows the change list shows (its filters and search), without
        the annotations the list adds: the Resource joins what it exports."""
        shown = super().get_export_queryset(request)
        return self.model._default_manager.filter(pk__in=shown.values("pk"))


def csv_admin_mixins():
    """{model: the mixin adding CSV import/export with that model's Resource}."""
    return {
        resource_class._meta.model: type(
            f"{resource_class._meta.model.__name__}CsvAdmin",
            (CsvAdminMixin, ImportExportMixin),
            {"resource_classes": [resource_class]},
        )
        for resource_class in CSV_RESOURCES.values()
    }
