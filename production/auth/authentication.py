"""DRF authentication by JWT bearer token, and how the schema describes it.

A token is refused when it is malformed or expired, when its session was
revoked (logout), when it was issued before the person's `tokens_valid_after`
(password change, deactivation) or when the person is inactive."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, UntypedToken

from production.auth.tokens import person_for_token


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
