"""Login by email with lockout, for the API and the admin alike."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from production import services
from production.models import normalize_email


def client_address(request):
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or "unknown"


class LockoutModelBackend(ModelBackend):
    """Django's password check, refusing everyone during a lockout and
    counting each failure (per email and per address) in the database."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = normalize_email(email or username or kwargs.get("email"))
        if not email or password is None:
            return None
        ip_address = client_address(request)
        if services.login_lockout_seconds(email=email, ip_address=ip_address):
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied("Too many failed logins.")
        person = super().authenticate(request, username=email, password=password)
        if person is None:
            services.login_failure_record(email=email, ip_address=ip_address)
        else:
            services.login_failures_clear(email=email)
        return person
