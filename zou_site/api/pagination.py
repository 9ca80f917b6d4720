"""Zou's list answer: a bare array, or its page envelope with `?page=N`."""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from zou_site.api.errors import ApiError


class ZouPagination(PageNumberPagination):
    """A bare array unless ?page=N is given; then Zou's envelope. A page past
    the end, or below 1, is 404; a malformed page or limit is 400."""

    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000

    def get_page_size(self, request):
        limit = request.query_params.get(self.page_size_query_param, self.page_size)
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            raise ApiError(f"'limit' must be a whole number, not '{limit}'.")
        if not 1 <= limit <= self.max_page_size:
            raise ApiError(f"'limit' must be between 1 and {self.max_page_size}.")
        return limit

    def requested_page(self, request):
        """The page asked for; none means the whole list as a bare array."""
        return request.query_params.get(self.page_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        number = self.requested_page(request)
        if number in (None, ""):
            return None
        try:
            number = int(number)
        except ValueError:
            raise ApiError(f"'page' must be a whole number, not '{number}'.")
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if not 1 <= number <= paginator.num_pages:
            raise exceptions.NotFound(f"Page {number} does not exist: there are {paginator.num_pages} pages.")
        self.request = request
        self.page = paginator.page(number)
        return self.page.object_list

    def rows_by_ids(self, queryset):
        """The page's rows read by id: the ids of the page are found first
        (an index-only scan down to a deep offset), then only those rows are
        read whole. Skipping 50,000 rows while building each one (its
        many-to-many ids included) made ?page=500 five times slower than page 1.
        A DISTINCT list (a filter on a many-to-many) keeps the plain slice: its
        id subquery would select its ordering columns too."""
        if queryset.query.distinct:
            return self.page.object_list
        bottom = (self.page.number - 1) * self.page.paginator.per_page
        ids = queryset.values("pk")[bottom : bottom + self.page.paginator.per_page]
        return queryset.filter(pk__in=ids)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "data": data,
                "total": paginator.count,
                "nb_pages": paginator.num_pages,
                "limit": paginator.per_page,
                "offset": (self.page.number - 1) * paginator.per_page,
                "page": self.page.number,
            }
        )

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
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
        ]
