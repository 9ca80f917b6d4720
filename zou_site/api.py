"""API plumbing shared by every app: errors, pagination, filters, the base
serializer and viewset. Nothing here knows about a particular model."""

import datetime
import json
import uuid

import django_filters
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from zou_site.fast_rows import fast_rows, streamed_rows
from zou_site.parsers import nul_path

RESERVED_QUERY_KEYS = {"page", "limit", "relations", "fields", "force", "format"}
TRUE_STRINGS = {"true", "1", "yes", "on"}
FALSE_STRINGS = {"false", "0", "no", "off"}


class ApiError(exceptions.APIException):
    """An error answered as {"message": ..., **extra} with the given status."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."

    def __init__(self, message, status_code=None, headers=None, **extra):
        super().__init__(detail=message)
        if status_code is not None:
            self.status_code = status_code
        self.headers = headers or {}
        self.extra = extra


def parse_bool(value, name="value"):
    """True/False as gazu sends them (Python's str()), and the usual spellings."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_STRINGS:
        return True
    if text in FALSE_STRINGS:
        return False
    raise ApiError(f"'{name}' must be true or false, not '{value}'.")


def uuid_or_404(value):
    """An id from a URL: a malformed one is simply not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404


def query_flag(request, name):
    value = request.query_params.get(name)
    return False if value in (None, "") else parse_bool(value, name)


def _first_message(detail):
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = _first_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
        return "Invalid input."
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "Invalid input."
    return str(detail)


def protected_message(instance, protected_objects):
    counts = {}
    for obj in protected_objects:
        label = obj._meta.verbose_name_plural if hasattr(obj, "_meta") else type(obj).__name__
        counts[label] = counts.get(label, 0) + 1
    listing = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
    kind = instance._meta.verbose_name if instance is not None else "row"
    return f"This {kind} cannot be deleted: {listing} still point to it."


def exception_handler(exc, context):
    """Every error is JSON with a `message`; field errors add `errors`."""
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        view = context.get("view")
        instance = getattr(view, "_deleting", None)
        exc = ApiError(protected_message(instance, exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, ApiError):
        body = {"message": str(exc.detail), **exc.extra}
        for name, value in exc.headers.items():
            response[name] = value
    elif isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body = {"message": _first_message(errors), "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        body = {"message": str(data["detail"])}
        if isinstance(exc, exceptions.NotAuthenticated) or isinstance(exc, exceptions.AuthenticationFailed):
            body["login"] = False
    else:
        body = {"message": _first_message(data)}
    response.data = body
    return response


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


def _split_values(raw):
    """`?id=["a","b"]` means any of them; anything else is one value."""
    text = raw.strip()
    if text.startswith("["):
        try:
            values = json.loads(text)
        except ValueError:
            raise DjangoValidationError("is not a valid JSON list")
        if not isinstance(values, list) or any(isinstance(v, (list, dict)) for v in values):
            raise DjangoValidationError("must be a JSON list of plain values")
        return [str(v) if not isinstance(v, str) else v for v in values], True
    return [raw], False


class FieldValueFilter(django_filters.Filter):
    """Equality on one model field, the value converted by the field itself,
    a JSON list meaning "in"; `null`/`None` matches empty foreign keys."""

    field_class = django_filters.filters.forms.CharField

    def __init__(self, *args, model_field=None, lookup="exact", **kwargs):
        self.model_field = model_field
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def convert(self, value):
        field = self.model_field
        if value in ("null", "None") and field.null:
            return None
        if isinstance(field, models.BooleanField):
            return parse_bool(value, self.field_name)
        try:
            if isinstance(field, (models.UUIDField,)):
                return uuid.UUID(str(value))
            converted = field.to_python(value)
            if isinstance(converted, datetime.datetime) and converted.tzinfo is not None:
                # PostgreSQL refuses offsets past ±15:59 (`+20:00`): compare in UTC.
                converted = converted.astimezone(datetime.timezone.utc)
            return converted
        except OverflowError:
            raise DjangoValidationError(f"'{value}' is outside the years 1 to 9999 once in UTC")
        except (DjangoValidationError, ValueError, TypeError, AttributeError):
            raise DjangoValidationError(f"'{value}' is not a valid value")

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if nul_path(value):
            raise ApiError(f"Filter '{self.key}' contains a NUL character or an unpaired surrogate.")
        try:
            values, is_list = _split_values(value)
            converted = [self.convert(v) for v in values]
        except DjangoValidationError as error:
            raise ApiError(f"Filter '{self.key}': {' '.join(error.messages)}.", errors={self.key: error.messages})
        except ApiError as error:
            raise ApiError(f"Filter '{self.key}': {error.detail}")
        if is_list:
            qs = qs.filter(**{f"{self.field_name}__in": converted})
            # Two matching members of one row would list the row twice.
            return qs.distinct() if self.many else qs
        if converted[0] is None:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return qs.filter(**{f"{self.field_name}__{self.lookup}": converted[0]})

    @property
    def key(self):
        return getattr(self, "query_key", self.field_name)

    @property
    def many(self):
        return getattr(self, "is_many", False)


class ZouFilterSet(django_filters.FilterSet):
    """Every concrete field of the model is a filter: `name`, `<fk>_id`, and
    many-to-many by membership (`assignees=<person id>`). `aliases` maps more
    query keys onto fields (`sequence_id` → `parent_id` for shots)."""

    aliases = {}
    excluded = {"password", "tokens_valid_after", "last_login"}

    @classmethod
    def get_filters(cls):
        model = cls._meta.model
        filters = {}
        if model is None:
            return filters
        for field in model._meta.get_fields():
            if field.name in cls.excluded or isinstance(field, models.JSONField):
                continue
            if field.many_to_many and not field.auto_created:
                flt = FieldValueFilter(field_name=field.name, model_field=field.target_field)
                flt.is_many = True
                filters[field.name] = flt
            elif field.concrete and field.is_relation and field.many_to_one:
                flt = FieldValueFilter(field_name=field.attname, model_field=_NullableTarget(field))
                filters[field.attname] = flt
            elif field.concrete and not field.is_relation:
                filters[field.name] = FieldValueFilter(field_name=field.name, model_field=field)
        for alias, target in cls.aliases.items():
            original = filters[target]
            flt = FieldValueFilter(field_name=original.field_name, model_field=original.model_field)
            flt.is_many = getattr(original, "is_many", False)
            filters[alias] = flt
        for key, flt in filters.items():
            flt.query_key = key
        filters.update(cls.declared_filters)
        return filters


def filterset_for(model, aliases=None, **declared):
    """A ZouFilterSet for a model (named `<Model>FilterSet`), with optional
    query-key aliases and declared filters."""
    meta = type("Meta", (), {"model": model, "fields": []})
    attrs = {"Meta": meta, "aliases": aliases or {}, "__module__": __name__, **declared}
    return type(f"{model.__name__}FilterSet", (ZouFilterSet,), attrs)


class _NullableTarget:
    """A foreign key's target field (to convert values) that knows the FK's nullability."""

    def __init__(self, fk):
        self._target = fk.target_field
        self.null = fk.null

    def __getattr__(self, name):
        return getattr(self._target, name)

    def to_python(self, value):
        return self._target.to_python(value)


def check_query_keys(filterset_class, request):
    allowed = set(filterset_class.base_filters)
    unknown = sorted(set(request.query_params) - allowed - RESERVED_QUERY_KEYS)
    if unknown:
        raise ApiError(
            f"Unknown filter '{unknown[0]}'. Allowed: {', '.join(sorted(allowed))}.",
            errors={key: ["Unknown filter."] for key in unknown},
        )


def apply_filterset(filterset_class, request, queryset):
    """Filter a queryset by the request's query keys, strictly (see ZouFilterBackend)."""
    check_query_keys(filterset_class, request)
    return filterset_class(request.query_params, queryset=queryset, request=request).qs


class ZouFilterBackend(DjangoFilterBackend):
    """django-filter, strict: an unknown query key is a 400 naming the allowed ones."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            check_query_keys(filterset_class, request)
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        try:
            return super().get_schema_operation_parameters(view)
        except Exception:  # pragma: no cover - schema generation only
            return []


class ZouModelSerializer(serializers.ModelSerializer):
    """A row as Zou sends it: every field, `<fk>_id` for foreign keys, lists of
    ids for many-to-many, and `type`. Writes run the model's full_clean(), so
    database invariants come back as 400 with the field named."""

    type = serializers.SerializerMethodField()
    zou_type = None

    class Meta:
        fields = "__all__"
        validators = []

    def get_type(self, obj) -> str:
        return self.zou_type or type(obj).__name__

    def type_for_values(self, type_value):
        """`type` for a row read by zou_site.fast_rows; `type_value` is the
        column named by `type_key` when the serializer has one."""
        return self.zou_type or self.Meta.model.__name__

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if not relation_info.to_many:
            kwargs["source"] = field_name
        return field_class, kwargs

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        renamed = {}
        for name, field in fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                renamed[name] = field
                continue
            if not (model_field.is_relation and model_field.many_to_one):
                renamed[name] = field
            elif name in self._declared_fields:
                # A nested row declared under the relation's name keeps its
                # `<name>_id` beside it, as Zou's full views do.
                renamed[name] = field
                renamed[model_field.attname] = serializers.UUIDField(read_only=True, allow_null=model_field.null)
            else:
                renamed[model_field.attname] = field
        if "id" in renamed:
            renamed["id"] = serializers.UUIDField(required=False)
        return renamed

    def validate(self, attrs):
        # Values reach here from every parser (a JSON field sent as a form
        # string too): PostgreSQL cannot store NUL, so it is refused here.
        bad = {
            key: nul_path(value, key)
            for key, value in attrs.items()
            if isinstance(value, (str, dict, list)) and nul_path(value, key)
        }
        if bad:
            raise serializers.ValidationError(
                {key: [f"NUL characters and unpaired surrogates are not allowed (at '{where}')."] for key, where in bad.items()}
            )
        return attrs

    def validate_id(self, value):
        if self.instance is not None:
            return self.instance.pk
        if value is not None and self.Meta.model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError("A row with this id already exists.")
        return value

    def _api_name(self, field_name):
        try:
            model_field = self.Meta.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            return field_name
        return model_field.attname if model_field.is_relation and model_field.many_to_one else field_name

    def _save(self, instance, validated_data):
        many = {
            key: validated_data.pop(key)
            for key in list(validated_data)
            if isinstance(self.fields.get(key), serializers.ManyRelatedField)
        }
        if instance.pk and self.instance is None and validated_data.get("id") is None:
            validated_data.pop("id", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            instance.full_clean(exclude=self.full_clean_exclude())
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {self._api_name(k): v for k, v in error.message_dict.items()}
            )
        try:
            with transaction.atomic():
                instance.save()
                for key, value in many.items():
                    getattr(instance, key).set(value)
        except IntegrityError as error:
            raise ApiError(f"This change conflicts with an existing row: {error}".split("\n")[0])
        return instance

    def full_clean_exclude(self):
        return ["password"]

    def create(self, validated_data):
        instance = self.Meta.model()
        if validated_data.get("id") is None:
            validated_data.pop("id", None)
        return self._save(instance, validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("id", None)
        return self._save(instance, validated_data)


class ZouModelViewSet(viewsets.ModelViewSet):
    """CRUD for one data type: list (bare or paged), filters, create, get,
    partial PUT, delete refused with 400 while rows point at the row.

    With `fast_list`, lists are built from .values() (zou_site.fast_rows) and a
    whole unpaginated list is streamed: the big lists (shots, tasks) never
    build a serializer per row nor hold the answer whole in memory."""

    pagination_class = ZouPagination
    filter_backends = [ZouFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = "[^/]+"
    fast_list = False

    def get_object(self):
        """The row of the URL among those the person may see. Query keys are
        not applied: on a nested route they filter the nested list."""
        try:
            obj = self.get_queryset().get(pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (ObjectDoesNotExist, DjangoValidationError, ValueError):
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        return self.list_response(self.get_queryset())

    def list_response(self, queryset, serializer_class=None, filterset_class=None, fast=None):
        """A main, nested or helper list: filtered, then a bare array or a page."""
        if filterset_class is None:
            queryset = self.filter_queryset(queryset)
        else:
            queryset = apply_filterset(filterset_class, self.request, queryset)
        serializer_class = serializer_class or self.get_serializer_class()
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else queryset
        if self.fast_list if fast is None else fast:
            if page is None:
                return StreamingHttpResponse(streamed_rows(rows, serializer_class), content_type="application/json")
            data = fast_rows(rows, serializer_class)
        else:
            data = serializer_class(rows, many=True, context=self.get_serializer_context()).data
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
