"""The casting on the breakdown's pages: a shot's (or an asset's, an
episode's) assets with their number of occurrences, edited inline; and on an
asset's page, where it is cast. Both are EntityLink rows, the rows behind
Entity.entities_out."""

from django.contrib import admin

from production.admin.common import entity_path, with_path_label
from production.models import Asset, EntityLink


class CastingInline(admin.TabularInline):
    """The assets cast in the entity of the page. EntityLink.clean() refuses
    an asset of another project, a shot or the entity itself, naming it."""

    model = EntityLink
    fk_name = "entity_in"
    fields = ("entity_out", "nb_occurences", "label")
    autocomplete_fields = ("entity_out",)
    extra = 0
    verbose_name = "cast asset"
    verbose_name_plural = "casting"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity_out":
            # Each row's picker names its asset by full path (names repeat across projects).
            kwargs["queryset"] = with_path_label(Asset.objects.all())
            kwargs["label"] = "asset"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CastInInline(admin.TabularInline):
    """Where the asset of the page is cast: read here, edited on the shot's page."""

    model = EntityLink
    fk_name = "entity_out"
    fields = ("cast_in", "nb_occurences", "label")
    readonly_fields = ("cast_in", "nb_occurences", "label")
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = "cast in"
    verbose_name_plural = "cast in"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # cast_in: the shot's path, computed with the rows.
        return super().get_queryset(request).annotate(entity_in_path=entity_path("entity_in__")).order_by("entity_in_path")

    @admin.display(description="shot or entity")
    def cast_in(self, link):
        return link.entity_in_path
