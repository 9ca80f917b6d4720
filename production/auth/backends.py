"""Login by email for the admin, through the same lockout as the API."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from production.auth.lockout import LoginLocked, client_address, login_attempt


class LockoutModelBackend(ModelBackend):
    """Django's password check behind the shared lockout (production.auth.lockout)."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = email or username or kwargs.get("email")
        if not email or password is None:
            return None
        try:
            return login_attempt(email=email, password=password, ip_address=client_address(request))
        except LoginLocked as locked:
            # Django's authenticate() swallows the exception: the admin's
            # login form reads the wait from the request to say how long.
            if request is not None:
                request.login_locked_for = locked.wait
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied("Too many failed logins.")
