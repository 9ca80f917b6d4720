"""JWT bearer tokens as Zou issues them, with revocation.

A token is refused when it is malformed or expired, when its id was revoked at
logout, when it was issued before the person's `tokens_valid_after` (password
change, deactivation) or when the person is inactive.
"""

import time
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from production.models import Person, RevokedToken


def issue_tokens(person, access_lifetime=None):
    """Return (access, refresh) token strings for a person."""
    refresh = RefreshToken.for_user(person)
    # iat has a one-second resolution; revocation needs to tell apart a token
    # issued just before a password change from one issued just after.
    refresh[ISSUED_CLAIM] = time.time()
    access = refresh.access_token
    if access_lifetime is not None:
        access.set_exp(lifetime=access_lifetime)
    return str(access), str(refresh)


ISSUED_CLAIM = "issued"


def token_issued_at(token):
    return datetime.fromtimestamp(token.get(ISSUED_CLAIM, token["iat"]), tz=dt_timezone.utc)


def revoke_token(token, person):
    RevokedToken.objects.get_or_create(
        jti=token["jti"],
        defaults={
            "person": person,
            "expires_at": datetime.fromtimestamp(token["exp"], tz=dt_timezone.utc),
        },
    )


def person_for_token(token):
    """The active person a validated token stands for, or AuthenticationFailed."""
    try:
        person = Person.objects.get(id=token[settings.SIMPLE_JWT["USER_ID_CLAIM"]])
    except (Person.DoesNotExist, KeyError, ValueError, DjangoValidationError):
        raise exceptions.AuthenticationFailed("The person of this token does not exist.")
    if not person.active:
        raise exceptions.AuthenticationFailed("This account is deactivated.")
    if person.tokens_valid_after and token_issued_at(token) <= person.tokens_valid_after:
        raise exceptions.AuthenticationFailed("This token was revoked.")
    if RevokedToken.objects.filter(jti=token["jti"]).exists():
        raise exceptions.AuthenticationFailed("This token was revoked.")
    return person


class BearerTokenAuthentication(JWTAuthentication):
    token_class = AccessToken

    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        raw = self.get_raw_token(header)
        if raw is None:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        token = self.decode(raw, self.token_class)
        return person_for_token(token), token

    @staticmethod
    def decode(raw, token_class):
        try:
            return token_class(raw)
        except TokenError as error:
            if "expired" in str(error).lower():
                # The exact message gazu watches for to refresh its token.
                raise exceptions.AuthenticationFailed("Signature has expired")
            raise exceptions.AuthenticationFailed(f"Invalid token: {error}")

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def purge_expired_revocations():
    RevokedToken.objects.filter(expires_at__lt=timezone.now()).delete()


class RefreshTokenAuthentication(BearerTokenAuthentication):
    """auth/refresh-token is called with the refresh token as Bearer."""

    token_class = RefreshToken
