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


def entity_path(prefix=""):
    """'Project / E01 / SQ01 / SH010' of the entity at `prefix` ("" for the row
    itself, "entity__" for a task's) as one database expression: names
    repeat across sequences and projects, paths do not."""
    separator = Value(" / ")

    def level(relation):
        return Case(
            When(**{f"{relation}__isnull": False}, then=Concat(separator, F(f"{relation}__name"))),
            default=Value(""),
            output_field=CharField(),
        )

    return Concat(
        f"{prefix}project__name",
        level(f"{prefix}parent__parent"),
        level(f"{prefix}parent"),
        separator,
        f"{prefix}name",
        output_field=CharField(),
    )


def task_path(prefix=""):
    """'Project / E01 / SQ01 / SH010 / Animation' of the task at `prefix`, its
    name added when it is not the usual 'main'."""
    name = Case(
        When(**{f"{prefix}name__in": ("", "main")}, then=Value("")),
        default=Concat(Value(" / "), F(f"{prefix}name")),
        output_field=CharField(),
    )
    return Concat(entity_path(f"{prefix}entity__"), Value(" / "), F(f"{prefix}task_type__name"), name, output_field=CharField())


def with_path_label(queryset):
    """Entities whose str() is their full path, 'Project / E01 / SQ01 / SH010',
    computed by the database for every row of a picker at once."""
    return queryset.annotate(path_label=entity_path())


def breadcrumb(entity):
    """'Big Buck Bunny / E01 / SQ01': names repeat across projects and
    episodes, paths do not. Needs project and parent fetched with the entity."""
    names = [entity.project.name, entity.name]
    if entity.parent_id:
        names.insert(1, entity.parent.name)
    return " / ".join(names)


def as_days(seconds):
    """'32 h (4 days)' for a list column: a studio day is 8 hours."""
    hours = seconds / 3600
    return f"{hours:g} h ({hours / 8:g} d)" if hours >= 8 else f"{hours:g} h"
