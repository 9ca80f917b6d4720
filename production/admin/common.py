"""Pieces shared by the admin screens of every sub-domain."""

from django.contrib import admin
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
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


def with_path_label(queryset):
    """Entities whose str() is their full path, 'Project / E01 / SQ01 / SH010',
    computed by the database for every row of a picker at once."""
    separator = Value(" / ")

    def level(relation):
        return Case(
            When(**{f"{relation}__isnull": False}, then=Concat(separator, F(f"{relation}__name"))),
            default=Value(""),
            output_field=CharField(),
        )

    return queryset.annotate(
        path_label=Concat(
            "project__name", level("parent__parent"), level("parent"), separator, "name", output_field=CharField()
        )
    )
