"""JWT sessions as Zou issues them: an access token and a refresh token per
login. A login is one session, named by its refresh token's id (`session`
claim, carried by every access token minted from it): revoking the session
blacklists the refresh token through simplejwt's token_blacklist app, and every
access token of that session dies with it. Person-wide revocation (password
change, deactivation) is the `tokens_valid_after` watermark instead, one write
that kills every session at once."""

import time
import uuid
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists
from rest_framework import exceptions
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from production.models import Person
from zou_site.api import compiled

# iat has a one-second resolution; revocation needs to tell apart a token
# issued just before a password change from one issued just after.
ISSUED_CLAIM = "issued"
SESSION_CLAIM = "session"


def issue_tokens(person, access_lifetime=None):
    """Open a session: (access, refresh) token strings for a person."""
    refresh = RefreshToken.for_user(person)
    refresh[ISSUED_CLAIM] = time.time()
    refresh[SESSION_CLAIM] = refresh["jti"]
    access = refresh.access_token
    if access_lifetime is not None:
        access.set_exp(lifetime=access_lifetime)
    return str(access), str(refresh)


def access_for(refresh):
    """A fresh access token of the refresh token's session."""
    return str(refresh.access_token)


def token_issued_at(token):
    return datetime.fromtimestamp(token.get(ISSUED_CLAIM, token["iat"]), tz=dt_timezone.utc)


def session_revoke(token):
    """End the session a token (access or refresh) belongs to: its refresh
    token is blacklisted, so neither it nor any access token it minted is
    accepted again."""
    outstanding = OutstandingToken.objects.filter(jti=token[SESSION_CLAIM]).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


def refresh_token_revoke(raw, *, person):
    """Revoke one of the person's refresh tokens by its text (a leaked one, a
    script's): DjangoValidationError when it is not a valid refresh token of
    theirs."""
    try:
        refresh = RefreshToken(raw)
    except TokenError as error:
        raise DjangoValidationError({"refresh_token": [f"Not a valid refresh token: {error}."]})
    if refresh.get(settings.SIMPLE_JWT["USER_ID_CLAIM"]) != str(person.pk):
        raise DjangoValidationError({"refresh_token": ["This refresh token is not yours."]})
    session_revoke(refresh)


def _person_with_session(person_id, session):
    """The person with whether the session `session` was revoked."""
    revoked = BlacklistedToken.objects.filter(token__jti=session)
    return Person.objects.annotate(session_revoked=Exists(revoked)).filter(id=person_id)


def revoked_sessions(held):
    """Of (person id, session, issued at) triples, those no longer valid: the
    person gone or deactivated, the session logged out, or issued before the
    person's `tokens_valid_after`. Two queries however many are held (the live
    stream checks all its listeners at once)."""
    held = set(held)
    persons = {
        pk: (active, valid_after)
        for pk, active, valid_after in Person.objects.filter(pk__in={person_id for person_id, _, _ in held}).values_list(
            "pk", "active", "tokens_valid_after"
        )
    }
    sessions = {str(session) for _, session, _ in held if session}
    blacklisted = set(BlacklistedToken.objects.filter(token__jti__in=sessions).values_list("token__jti", flat=True))
    revoked = set()
    for person_id, session, issued_at in held:
        active, valid_after = persons.get(person_id, (False, None))
        if not active or not session or str(session) in blacklisted or (valid_after and issued_at <= valid_after):
            revoked.add((person_id, session, issued_at))
    return revoked


def person_for_token(token):
    """The active person a validated token stands for, or AuthenticationFailed.
    One query: the person and whether the token's session was revoked are read
    together, since every authenticated request pays for this round trip. A
    revocation is a row in the database, so it holds at once in every worker."""
    session = token.get(SESSION_CLAIM)
    try:
        person_id = uuid.UUID(str(token[settings.SIMPLE_JWT["USER_ID_CLAIM"]]))
    except (KeyError, ValueError):
        raise exceptions.AuthenticationFailed("The person of this token does not exist.")
    found = compiled.model_rows("person_for_token", _person_with_session, (person_id, str(session or "")))
    if not found:
        raise exceptions.AuthenticationFailed("The person of this token does not exist.")
    person = found[0]
    if not person.active:
        raise exceptions.AuthenticationFailed("This account is deactivated.")
    if person.tokens_valid_after and token_issued_at(token) <= person.tokens_valid_after:
        raise exceptions.AuthenticationFailed("This token was revoked.")
    if session is None or person.session_revoked:
        raise exceptions.AuthenticationFailed("This token was revoked.")
    return person
