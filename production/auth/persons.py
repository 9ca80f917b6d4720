"""Writing persons: one rule for who may, the guard rails every door keeps,
and token revocation done here only.

Every door that changes a person (REST, the admin, the CSV and Shotgun
imports, manage.py) calls these functions rather than saving the row itself:
a new password or a deactivation always ends every session, and no door can
remove the last active admin or let an admin lock themselves out."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from production import events
from production.auth.tokens import issue_tokens
from production.models import Person

ADMIN = Person.Role.ADMIN


class SystemActor:
    """The caller when no person acts, or when the door already checked the
    right: manage.py writes persons only when its operator asked for it with an
    explicit flag; a person's own new password; the admin's password page,
    which only admins reach."""

    def __init__(self, *, persons=False):
        self.persons = persons
        self.pk = None


def may_write_persons(actor):
    """Only active admins create, change, import or delete persons: a manager
    who could would make themselves (or anyone) an admin."""
    if isinstance(actor, SystemActor):
        return actor.persons
    return actor is not None and actor.active and actor.role == ADMIN


def persons_write_check(actor, flag_hint=""):
    if not may_write_persons(actor):
        if isinstance(actor, SystemActor):
            raise PermissionDenied(f"Writing persons from the command line needs {flag_hint or 'an explicit flag'}.")
        raise PermissionDenied("Only admins may create, change, import or delete persons.")


def is_active_admin(values):
    return values["active"] and values["role"] == ADMIN


def admins_kept(*, losing):
    """Refuse a write after which no active admin would remain, where one was
    before. The active admins' rows are locked, so two admins demoting each
    other at once cannot both succeed."""
    losing = set(losing)
    if not losing:
        return
    admins = set(Person.objects.select_for_update().filter(role=ADMIN, active=True).values_list("pk", flat=True))
    if admins and not admins - losing:
        raise ValidationError("The last active admin cannot be removed, demoted or deactivated: make another admin first.")


def person_change_errors(*, stored, new, actor, by_import=False):
    """{field: message} for a change of one person (stored and new as dicts of
    field values) that the acting person may not make of themselves."""
    if stored is None or getattr(actor, "pk", None) != stored["id"]:
        return {}
    errors = {}
    if stored["active"] and not new["active"]:
        errors["active"] = "You cannot deactivate yourself."
    if by_import:
        if stored["role"] != new["role"]:
            errors["role"] = "An import cannot change the role of the admin running it."
        for field in ("email", "first_name", "last_name"):
            if stored[field] != new[field]:
                errors[field] = "An import cannot rename the admin running it."
    return errors


WATCHED = ("id", "active", "role", "email", "first_name", "last_name", "password")


def person_values(person):
    return {field: getattr(person, "pk" if field == "id" else field) for field in WATCHED}


@transaction.atomic
def person_check(*, person, actor):
    """Refuse (PermissionDenied, ValidationError) a change of a person whose
    fields are set but not saved; answer the stored values (None for a new
    person). Forms call it to show the refusal; person_save calls it again."""
    persons_write_check(actor)
    stored = None
    if not person._state.adding:
        stored = Person.objects.select_for_update().filter(pk=person.pk).values(*WATCHED).first()
    new = person_values(person)
    errors = person_change_errors(stored=stored, new=new, actor=actor)
    if errors:
        raise ValidationError(errors)
    if stored is not None and is_active_admin(stored) and not is_active_admin(new):
        admins_kept(losing=[person.pk])
    return stored


@transaction.atomic
def person_save(*, person, actor):
    """Save a created or changed person (its fields already set): checks who
    may, the guard rails, and ends every session on a new password or a
    deactivation (re-activating later does not bring those sessions back)."""
    stored = person_check(person=person, actor=actor)
    if stored is not None and (stored["password"] != person.password or (stored["active"] and not person.active)):
        person.revoke_tokens()
    person.save()
    return person


@transaction.atomic
def persons_delete_check(*, persons, actor):
    persons_write_check(actor)
    if any(person.pk == getattr(actor, "pk", None) for person in persons):
        raise ValidationError("You cannot delete yourself.")
    admins_kept(losing=[person.pk for person in persons if person.active and person.role == ADMIN])


@transaction.atomic
def person_delete(*, person, actor):
    persons_delete_check(persons=[person], actor=actor)
    recorded = events.deleted(person)
    person.delete()
    events.store([recorded])


def person_password_set(*, person, password):
    """A person's own new password (auth/change-password)."""
    person.set_password(password)
    return person_save(person=person, actor=SystemActor(persons=True))


def persons_tokens_revoke(*, person_ids):
    """End every session of these persons (bulk writes: imports)."""
    person_ids = list(person_ids)
    if not person_ids:
        return
    Person.objects.filter(pk__in=person_ids).update(tokens_valid_after=timezone.now())


def bot_check(person):
    if not person.is_bot:
        raise ValidationError({"is_bot": ["Only bot persons have long-lived tokens: this person is not a bot."]})


@transaction.atomic
def bot_token_issue(*, bot, actor):
    """A long-lived access token for a bot person (scripts, farms). Issuing a
    new one revokes the previous ones: a bot holds one live token."""
    persons_write_check(actor)
    bot_check(bot)
    persons_tokens_revoke(person_ids=[bot.pk])
    bot.refresh_from_db(fields=["tokens_valid_after"])
    access, _ = issue_tokens(bot, access_lifetime=datetime.timedelta(days=settings.BOT_TOKEN_DAYS))
    return access


def bot_tokens_revoke(*, bot, actor):
    persons_write_check(actor)
    bot_check(bot)
    persons_tokens_revoke(person_ids=[bot.pk])


@transaction.atomic
def person_password_change(*, person, password, actor):
    """An admin sets another person's password (gazu's change_password_for_person):
    like every new password, it ends every session of that person. Bots
    have tokens, not passwords."""
    if person.is_bot:
        raise ValidationError({"person_id": ["A bot has no password: issue it a token instead."]})
    if not person.active:
        raise ValidationError({"person_id": ["This person is inactive: activate them first."]})
    person.set_password(password)
    return person_save(person=person, actor=actor)


@transaction.atomic
def person_department_set(*, person, department, actor, member=True):
    """Add a department to a person's skills (Zou's departments), or with
    member=False take it off."""
    persons_write_check(actor)
    before = events.snapshot(person, ["skills"])
    (person.skills.add if member else person.skills.remove)(department)
    person.save(update_fields=["updated_at"])
    events.store([events.updated(person, before)])
    return person
