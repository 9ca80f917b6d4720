"""The base viewset for one data type, and the JSON 404 for unknown routes."""

import itertools

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from zou_site.api.fast_rows import SMALL_LIST, encode_row, fast_rows, reused_fast_rows
from zou_site.api.pg_json import streamed_rows
from zou_site.api.filters import ZouFilterBackend, apply_filterset, plain_text_filters
from zou_site.api.pagination import ZouPagination
from zou_site.api.params import uuid_or_404, visible_or_404
from zou_site.api.routers import UUID


class ZouModelViewSet(viewsets.ModelViewSet):
    """CRUD for one data type: list (bare or paged), filters, create, get,
    partial PUT, delete refused with 400 while rows point at the row.

    With `fast_list`, lists are built from .values() (zou_site.api.fast_rows) and a
    whole unpaginated list is streamed: the big lists (shots, tasks) never
    build a serializer per row nor hold the answer whole in memory."""

    pagination_class = ZouPagination
    filter_backends = [ZouFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = UUID
    fast_list = False
    # get_queryset() depends on the person only through visibility(): one
    # row, a nested list and a list filtered by text are then run from a
    # query compiled once per shape (zou_site.api.compiled).
    reuse_compiled = False

    def visibility(self):
        """(key, values, stand_in): `stand_in(*values)` is a person who sees
        what the request's person sees, for any person the key stands for."""
        raise NotImplementedError

    def api_queryset(self, person):
        raise NotImplementedError

    def reused_rows(self, name, build, extra, serializer_class, limit=None):
        """Fast rows of `build(person, *extra)` from a reused compiled query;
        None when this view or the shape cannot reuse one."""
        if not self.reuse_compiled:
            return None
        key, values, stand_in = self.visibility()
        n = len(extra)

        def full(*args):
            return build(stand_in(*args[n:]), *args[:n])

        return reused_fast_rows((name, type(self), key), full, (*extra, *values), serializer_class, limit)

    def small_list(self, name, build, extra=(), serializer_class=None, filterset_class=None, when_empty=None):
        """A bare list of up to SMALL_LIST rows, unfiltered or filtered by text
        keys (`?name=`), from a reused compiled query: the answer, or
        "probed" when the list is longer (stream it), or None (the general path)."""
        params = self.request.query_params
        filterset_class = filterset_class or getattr(self, "filterset_class", None)
        keys = sorted(params)
        if keys and (filterset_class is None or not plain_text_filters(filterset_class, params)):
            return None
        serializer_class = serializer_class or self.get_serializer_class()

        def filtered(person, *args):
            queryset = build(person, *args[: len(extra)])
            if keys:
                data = dict(zip(keys, args[len(extra) :]))
                queryset = filterset_class(data, queryset=queryset, request=self.request).qs
            return queryset

        values = (*extra, *(params[k] for k in keys))
        rows = self.reused_rows((name, *keys), filtered, values, serializer_class, SMALL_LIST + 1)
        if rows is None:
            return None
        if len(rows) > SMALL_LIST:
            return "probed"
        if not rows and when_empty is not None:
            when_empty()
        return HttpResponse(encode_row(rows), content_type="application/json")

    def get_object(self, queryset=None):
        """The row of the URL among those the person may see. Query keys are
        not applied: on a nested route they filter the nested list.
        `queryset`: a narrower one (no prefetches) for a row used only as a
        parent or deleted, whose rendering is never sent."""
        queryset = self.get_queryset() if queryset is None else queryset
        obj = visible_or_404(queryset, self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.check_object_permissions(self.request, obj)
        return obj

    def retrieve(self, request, *args, **kwargs):
        """With `fast_list`, one row is rendered as the lists render theirs:
        one query, many-to-many ids included."""
        if not self.fast_list:
            return super().retrieve(request, *args, **kwargs)
        pk = uuid_or_404(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        serializer_class = self.get_serializer_class()
        rows = self.reused_rows("retrieve", lambda person, pk: self.api_queryset(person).filter(pk=pk), (pk,), serializer_class)
        if rows is None:
            rows = fast_rows(self.get_queryset().filter(pk=pk), serializer_class)
        if not rows:
            raise exceptions.NotFound("Not found.")
        return Response(rows[0])

    def list(self, request, *args, **kwargs):
        small = self.small_list("list", self.api_queryset) if self.fast_list else None
        if isinstance(small, HttpResponse):
            return small
        return self.list_response(self.get_queryset(), probed=small == "probed")

    def list_response(
        self, queryset, serializer_class=None, filterset_class=None, fast=None, children=None, when_empty=None,
        probed=False,
    ):
        """Every list, main or nested: strictly filtered, then a bare array or
        a page. `children(rows)` gives the querysets of a shape's nested
        children (see zou_site.api.fast_rows). `when_empty()` runs when the
        list has no row, before any answer: a nested list reads its rows
        through its parent and checks the parent only then (its 404)."""
        if filterset_class is None:
            queryset = self.filter_queryset(queryset)
        else:
            queryset = apply_filterset(filterset_class, self.request, queryset)
        serializer_class = serializer_class or self.get_serializer_class()
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else queryset
        if self.fast_list if fast is None else fast:
            if page is not None:
                rows = self.paginator.rows_by_ids(queryset)
            nested = children(rows) if children else None
            if page is None:
                chunks = streamed_rows(rows, serializer_class, nested, probed=probed)
                if when_empty is not None:
                    first = next(chunks) + next(chunks)  # "[" and the first rows, or "]"
                    if first == b"[]":
                        when_empty()
                    chunks = itertools.chain([first], chunks)
                return StreamingHttpResponse(chunks, content_type="application/json")
            data = fast_rows(rows, serializer_class, nested)
        else:
            data = serializer_class(rows, many=True, context=self.get_serializer_context()).data
        if when_empty is not None and not data:
            when_empty()
        return self.get_paginated_response(data) if page is not None else Response(data)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        self._deleting = instance
        with transaction.atomic():
            instance.delete()


@extend_schema(exclude=True)
class UnknownRouteView(APIView):
    """Any /api/ URL no route matches: a JSON 404 (after the token check,
    like every other route), never Django's HTML page."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound(f"No API route matches '{request.path}'.")
