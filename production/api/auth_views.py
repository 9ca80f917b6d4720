"""auth/...: login, logout, refresh, authenticated, change-password (DESIGN §4.5)."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from production.api.auth_serializers import (
    ChangePasswordSerializer,
    LoginAnswerSerializer,
    LoginSerializer,
    RefreshTokenRevokeSerializer,
)
from production.api.serializers import PersonSerializer
from production.auth import persons
from production.auth.authentication import RefreshTokenAuthentication, SessionTokenAuthentication
from production.auth.lockout import LoginLocked, client_address, login_attempt
from production.auth.tokens import access_for, issue_tokens, refresh_token_revoke, session_revoke
from zou_site.api.errors import ApiError


def valid_body(serializer_class, request, **context):
    """The validated body, or a 400 naming the first bad field."""
    body = serializer_class(data=request.data, context=context)
    body.is_valid(raise_exception=True)
    return body.validated_data


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=LoginSerializer, responses={200: LoginAnswerSerializer}, auth=[])
    def post(self, request):
        body = LoginSerializer(data=request.data)
        if not body.is_valid():
            field, messages = next(iter(body.errors.items()))
            raise ApiError(f"{field}: {messages[0]}", errors=body.errors, login=False)
        try:
            person = login_attempt(**body.validated_data, ip_address=client_address(request))
        except LoginLocked as locked:
            raise ApiError(str(locked), status_code=401, login=False, headers={"Retry-After": str(locked.wait)})
        if person is None:
            raise ApiError("Wrong email or password, or the account is deactivated.", login=False)
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
    """Ends the session: with either of its tokens as Bearer, both the access
    and the refresh token of that login stop working."""

    authentication_classes = [SessionTokenAuthentication]

    @extend_schema(request=None, responses={200: inline_serializer("Logout", {"logout": drf_serializers.BooleanField()})})
    def get(self, request):
        session_revoke(request.auth)
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
        return Response({"access_token": access_for(request.auth)})


class RefreshTokenRevokeView(APIView):
    """Revoke one of your refresh tokens (a leaked one, another machine's)
    with its session's access tokens."""

    @extend_schema(
        request=RefreshTokenRevokeSerializer,
        responses={200: inline_serializer("RefreshTokenRevoked", {"revoked": drf_serializers.BooleanField()})},
    )
    def post(self, request):
        body = valid_body(RefreshTokenRevokeSerializer, request)
        refresh_token_revoke(body["refresh_token"], person=request.user)
        return Response({"revoked": True})


class ChangePasswordView(APIView):
    """The old password is checked as a login is, lockout included: a stolen
    access token must not let anyone guess it."""

    @extend_schema(
        request=ChangePasswordSerializer,
        responses={
            200: inline_serializer("PasswordChanged", {"success": drf_serializers.BooleanField()}),
            429: OpenApiResponse(description="Too many wrong passwords for this person or address: retry after Retry-After seconds."),
        },
    )
    def post(self, request):
        person = request.user
        body = valid_body(ChangePasswordSerializer, request, person=person)
        try:
            checked = login_attempt(email=person.email, password=body["old_password"], ip_address=client_address(request))
        except LoginLocked as locked:
            raise ApiError(
                str(locked), status_code=429, errors={"old_password": [str(locked)]}, headers={"Retry-After": str(locked.wait)}
            )
        if checked is None:
            raise ApiError("'old_password' is wrong.", errors={"old_password": ["Wrong password."]})
        persons.person_password_set(person=person, password=body["password"])
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
