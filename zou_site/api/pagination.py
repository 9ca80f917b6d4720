"""Zou's list answer: a bare array, or its page envelope with `?page=N`."""

from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from zou_site.api.errors import ApiError


class ZouPagination(BasePagination):
    """A bare array unless ?page=N is given; then Zou's envelope. A page past
    the end, or below 1, is 404."""

    default_limit = 100
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get("page")
        if page in (None, ""):
            return None
        try:
            page = int(page)
        except ValueError:
            raise ApiError(f"'page' must be a whole number, not '{page}'.")
        limit = request.query_params.get("limit", self.default_limit)
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            raise ApiError(f"'limit' must be a whole number, not '{limit}'.")
        if not 1 <= limit <= self.max_limit:
            raise ApiError(f"'limit' must be between 1 and {self.max_limit}.")
        total = queryset.count()
        nb_pages = max(1, -(-total // limit))
        if page < 1 or page > nb_pages:
            raise exceptions.NotFound(f"Page {page} does not exist: there are {nb_pages} pages.")
        offset = (page - 1) * limit
        self.meta = {"total": total, "nb_pages": nb_pages, "limit": limit, "offset": offset, "page": page}
        return queryset[offset : offset + limit]

    def get_paginated_response(self, data):
        return Response({"data": data, **self.meta})

    def get_paginated_response_schema(self, schema):
        return {
            "oneOf": [
                schema,
                {
                    "type": "object",
                    "properties": {
                        "data": schema,
                        "total": {"type": "integer"},
                        "nb_pages": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "page": {"type": "integer"},
                    },
                },
            ]
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
             "description": "Page number; without it the whole list is a bare array."},
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit}},
        ]
