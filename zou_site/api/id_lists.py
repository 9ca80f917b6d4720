"""A many-to-many relation's ids as one column of the row query: the list
routes then cost one round trip, not one more per relation. PostgreSQL builds
the array itself (`ARRAY(SELECT ...)`, read as a list of texts); SQLite returns
a JSON array, converted here. Either way the ids come as texts in id order, as
the serializers' prefetches order them."""

import json
import uuid

from django.db import models
from django.db.models import F, OuterRef, Subquery, TextField
from django.db.models.functions import Cast


class IdListField(models.Field):
    """The column's value as a list of id texts on every database."""

    def get_internal_type(self):
        return "TextField"

    def get_db_converters(self, connection):
        # PostgreSQL's ARRAY(...) is a list already and never NULL: with no
        # converter, Django does not copy each of 100k rows to convert it.
        if connection.vendor == "postgresql":
            return []
        return super().get_db_converters(connection)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        if isinstance(value, str):  # SQLite: a JSON array of 32-digit hex ids
            return sorted(str(uuid.UUID(hex_id)) for hex_id in json.loads(value))
        return value


class IdList(Subquery):
    """The `to` ids of the rows of a through table linked to the outer row."""

    output_field = IdListField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="ARRAY(%(subquery)s)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite has no arrays; json_group_array gathers the ids (in no set
        # order: from_db_value sorts them).
        return super().as_sql(compiler, connection, template="(SELECT json_group_array(_id) FROM (%(subquery)s))", **extra)


def id_list(model, field_name, outer="pk"):
    """The ids of `model.<field_name>` (a many-to-many) for each outer row."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    from_id, to_id = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    links = through.objects.filter(**{from_id: OuterRef(outer)}).order_by(to_id)
    return IdList(links.annotate(_id=Cast(F(to_id), output_field=TextField())).values("_id"))
