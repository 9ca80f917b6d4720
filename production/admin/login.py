"""The admin's sign-in form: it says which of three things went wrong. A
wrong password, a lockout and a role refused all read "Please enter the
correct email and password for a staff account", and a locked-out
coordinator kept retrying, prolonging the lockout."""

import math

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class ZouLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Wrong email or password.",
        "locked": (
            "Too many failed sign-ins for this email or from this address: signing in is locked "
            "for %(minutes)s more minute%(plural)s. Wait, or ask an admin to clear the failed logins."
        ),
        "role": (
            "%(email)s has the role %(role)s: only admins and managers sign in to this site. "
            "Supervisors, artists and clients work through Kitsu or the API."
        ),
    }

    def get_invalid_login_error(self):
        wait = getattr(self.request, "login_locked_for", None)
        if wait:
            minutes = math.ceil(wait / 60)
            return ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes, "plural": "" if minutes == 1 else "s"}
            )
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def confirm_login_allowed(self, user):
        if not user.is_staff:
            raise ValidationError(
                self.error_messages["role"], code="role", params={"email": user.email, "role": user.get_role_display()}
            )
        super().confirm_login_allowed(user)
