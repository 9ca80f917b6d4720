"""Request guards that run before any view (body size) and the answer
given when the database cannot be reached."""

import logging
import re
import sys

import psycopg2
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

# Lost or refused connections, a server shutting down or starting up, and
# what PostgreSQL asks to retry (deadlock, serialization failure, lock
# timeout): Django re-raises driver errors as its own classes, raw cursors
# and connection set-up may raise the driver's.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, psycopg2.OperationalError, psycopg2.InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable_response(exception):
    """A JSON 503 with Retry-After for a database outage, None for any other error."""
    if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
        return None
    logger.warning("Database unavailable, answering 503: %s", str(exception).strip().splitlines()[:1])
    return JsonResponse(
        {"message": f"The database is unavailable; try again in {RETRY_AFTER_SECONDS} seconds."},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class DatabaseUnavailableMiddleware:
    """Every view, the API's and the admin's alike: a database outage is a 503
    the client can retry, not a 500 page. The worker keeps no broken
    connection (Django closes it after an error; CONN_HEALTH_CHECKS replaces a
    stale one), so service resumes by itself when the database is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(exception)


def server_error(request):
    """handler500: the same 503 for an outage met outside a view (a
    middleware saving the session), Django's page for anything else."""
    return database_unavailable_response(sys.exc_info()[1]) or defaults.server_error(request)


def request_too_large_response():
    return JsonResponse(
        {"message": f"The request body is larger than the {settings.MAX_REQUEST_SIZE} bytes allowed."},
        status=413,
    )


class RequestSizeLimitMiddleware:
    """Refuse a body announced larger than MAX_REQUEST_SIZE with 413, before
    anything reads it; and a body Django finds too big while a view reads it
    (DATA_UPLOAD_MAX_MEMORY_SIZE) with the same JSON 413, not Django's HTML 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"message": "Content-Length must be a number."}, status=400)
        if length > settings.MAX_REQUEST_SIZE:
            return request_too_large_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return request_too_large_response()
        return None


class HttpsForApiMiddleware:
    """With SECURE_SSL_REDIRECT on, a plain-HTTP API call answers a JSON 400
    saying to use https, instead of SecurityMiddleware's 301: a script would
    follow the redirect to a port that speaks no TLS and fail with an SSL
    error that hides the cause. Browsers on other paths keep the redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.lstrip("/")
        exempt = any(re.search(pattern, path) for pattern in settings.SECURE_REDIRECT_EXEMPT)
        if settings.SECURE_SSL_REDIRECT and path.startswith("api/") and not exempt and not request.is_secure():
            return JsonResponse(
                {
                    "message": (
                        f"This server takes API calls over HTTPS only: use https://{request.get_host()}/api. "
                        "On a studio network without TLS the server is started with HTTPS_ONLY=false; behind a "
                        "proxy that terminates TLS it is started with SECURE_PROXY_SSL_HEADER_NAME."
                    )
                },
                status=400,
            )
        return self.get_response(request)
