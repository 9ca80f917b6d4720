"""Errors as the API answers them: JSON with a `message`, field errors in `errors`."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


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
