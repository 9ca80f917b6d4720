"""auth/...: login, logout, refresh, authenticated, change-password (DESIGN §4.5)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from production import services
from production.api.serializers import PersonSerializer
from production.models import normalize_email
from zou_site.api.errors import ApiError
from zou_site.backends import client_address
from zou_site.authentication import RefreshTokenAuthentication, issue_tokens, revoke_token

LoginSerializer = inline_serializer(
    "Login", {"email": drf_serializers.EmailField(), "password": drf_serializers.CharField()}
)
LoginAnswerSerializer = inline_serializer(
    "LoginAnswer",
    {
        "login": drf_serializers.BooleanField(),
        "user": PersonSerializer(),
        "access_token": drf_serializers.CharField(),
        "refresh_token": drf_serializers.CharField(),
    },
)
ChangePasswordSerializer = inline_serializer(
    "ChangePassword",
    {
        "old_password": drf_serializers.CharField(),
        "password": drf_serializers.CharField(),
        "password_2": drf_serializers.CharField(),
    },
)


def login_failed(message):
    raise ApiError(message, login=False)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=LoginSerializer, responses={200: LoginAnswerSerializer}, auth=[])
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        email, password = body.get("email"), body.get("password")
        if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
            login_failed("Login needs an email and a password.")
        email = normalize_email(email)
        ip_address = client_address(request)
        wait = services.login_lockout_seconds(email=email, ip_address=ip_address)
        if wait:
            raise ApiError(
                f"Too many failed logins: try again in {wait} seconds.",
                status_code=401,
                login=False,
                headers={"Retry-After": str(wait)},
            )
        person = authenticate(request, email=email, password=password)
        if person is None:
            login_failed("Wrong email or password, or the account is deactivated.")
        access, refresh = issue_tokens(person)
        return Response(
            {
                "login": True,
                "user": PersonSerializer(person).data,
                "access_token": access,
                "refresh_token": refresh,
                "ldap": False,
            }
        )


class LogoutView(APIView):
    @extend_schema(request=None, responses={200: inline_serializer("Logout", {"logout": drf_serializers.BooleanField()})})
    def get(self, request):
        revoke_token(request.auth, request.user)
        return Response({"logout": True})


class AuthenticatedView(APIView):
    @extend_schema(
        responses={200: inline_serializer("Authenticated", {"authenticated": drf_serializers.BooleanField(), "user": PersonSerializer()})}
    )
    def get(self, request):
        return Response(
            {
                "authenticated": True,
                "user": PersonSerializer(request.user).data,
                "organisation": {"name": getattr(settings, "STUDIO_NAME", "Studio")},
            }
        )


class RefreshTokenView(APIView):
    """GET with the refresh token as Bearer: a fresh access token."""

    authentication_classes = [RefreshTokenAuthentication]

    @extend_schema(responses={200: inline_serializer("Refreshed", {"access_token": drf_serializers.CharField()})})
    def get(self, request):
        return Response({"access_token": str(request.auth.access_token)})


class ChangePasswordView(APIView):
    @extend_schema(request=ChangePasswordSerializer, responses={200: inline_serializer("PasswordChanged", {"success": drf_serializers.BooleanField()})})
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        person = request.user
        old, new, again = body.get("old_password"), body.get("password"), body.get("password_2")
        if not isinstance(old, str) or not person.check_password(old):
            raise ApiError("'old_password' is wrong.", errors={"old_password": ["Wrong password."]})
        if not isinstance(new, str) or not new:
            raise ApiError("'password' is required.", errors={"password": ["Required."]})
        if again is not None and again != new:
            raise ApiError("'password_2' does not match 'password'.", errors={"password_2": ["Does not match."]})
        try:
            validate_password(new, person)
        except DjangoValidationError as error:
            raise ApiError(f"'password': {' '.join(error.messages)}", errors={"password": error.messages})
        person.set_password(new)
        # Every token issued before now dies: a stolen token must not outlive a password change.
        person.revoke_tokens()
        person.save(update_fields=["password", "tokens_valid_after", "updated_at"])
        return Response({"success": True})


class ApiRootView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: inline_serializer("ApiRoot", {"api": drf_serializers.CharField(), "version": drf_serializers.CharField()})}, auth=[])
    def get(self, request):
        return Response({"api": "Zou", "version": settings.SPECTACULAR_SETTINGS["VERSION"]})


@extend_schema_view(get=extend_schema(exclude=True))
class ApiRootNoSlashView(ApiRootView):
    """`GET /api` and `HEAD /api` (load balancers, gazu's host_is_up), same answer as `/api/`."""
