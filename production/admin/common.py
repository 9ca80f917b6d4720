"""Pieces shared by the admin screens of every sub-domain."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html


def count_of(queryset, field):
    """COUNT of the rows of `queryset` pointing at the outer row through `field`,
    as a correlated subquery: several of them on one list never multiply each
    other the way several joined Count() annotations do."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_column(annotation, description):
    """A sortable list or read-only column showing a count annotated by get_queryset."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin, obj):
        return getattr(obj, annotation)

    return column


class ColorSwatchMixin:
    @admin.display(description="color", ordering="color")
    def color_swatch(self, obj):
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;border:1px solid #ccc;'
            'background:{};vertical-align:middle"></span> {}',
            obj.color,
            obj.color,
        )

