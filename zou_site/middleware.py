"""Request guards that run before any view: body size and CORS."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    """Refuse a body announced larger than MAX_REQUEST_SIZE with 413, before
    anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"message": "Content-Length must be a number."}, status=400)
        if length > settings.MAX_REQUEST_SIZE:
            return JsonResponse(
                {"message": f"The request body is larger than the {settings.MAX_REQUEST_SIZE} bytes allowed."},
                status=413,
            )
        return self.get_response(request)


class CorsMiddleware:
    """CORS is closed unless an origin is listed in CORS_ALLOWED_ORIGINS; then
    that origin may call the API with a bearer token (no cookies)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.META.get("HTTP_ORIGIN")
        allowed = origin is not None and origin in settings.CORS_ALLOWED_ORIGINS
        if allowed and request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response["Access-Control-Max-Age"] = "600"
            response["Vary"] = "Origin"
        return response
