"""DRF authentication by JWT bearer token, and how the schema describes it.

A token is refused when it is malformed or expired, when its session was
revoked (logout), when it was issued before the person's `tokens_valid_after`
(password change, deactivation) or when the person is inactive."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, UntypedToken
from rest_framework_simplejwt.utils import aware_utcnow

from production.auth.tokens import person_for_token

# Token text → its payload, once its signature was checked. Checking the
# signature (PyJWT's decode, HMAC and the key's preparation) cost a small
# request 0.2–0.3 ms; the payload is a function of the text alone, so a
# token seen before is only verified again (its expiry, its type): the
# revocation checks are the person query's, on every request.
_VERIFIED = {}
MAX_VERIFIED = 10_000


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
        key = (token_class, raw)
        try:
            payload = _VERIFIED.get(key)
            if payload is None:
                token = token_class(raw)
                if len(_VERIFIED) >= MAX_VERIFIED:
                    _VERIFIED.clear()
                _VERIFIED[key] = dict(token.payload)
                return token
            # As token_class(raw) builds it, its signature known good.
            token = token_class.__new__(token_class)
            token.token, token.current_time, token.payload = raw, aware_utcnow(), dict(payload)
            token.verify()
            return token
        except TokenError as error:
            if "expired" in str(error).lower():
                # The exact message gazu watches for to refresh its token.
                raise exceptions.AuthenticationFailed("Signature has expired")
            raise exceptions.AuthenticationFailed(f"Invalid token: {error}")

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class RefreshTokenAuthentication(BearerTokenAuthentication):
    """auth/refresh-token is called with the refresh token as Bearer."""

    token_class = RefreshToken


class SessionTokenAuthentication(BearerTokenAuthentication):
    """Either token of a session: a client logging out may hold only its
    refresh token (the access one expired)."""

    token_class = UntypedToken


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class RefreshTokenScheme(BearerTokenScheme):
    target_class = RefreshTokenAuthentication
    name = "refreshTokenAuth"

    def get_security_definition(self, auto_schema):
        return {**super().get_security_definition(auto_schema), "description": "The refresh token from auth/login."}


class SessionTokenScheme(BearerTokenScheme):
    target_class = SessionTokenAuthentication
    name = "sessionTokenAuth"

    def get_security_definition(self, auto_schema):
        return {**super().get_security_definition(auto_schema), "description": "The access or the refresh token."}
