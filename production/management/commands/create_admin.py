import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from production import events
from production.auth import persons
from production.management.operator import OperatorCommand
from production.models import Person, normalize_email


class Command(OperatorCommand):
    help = (
        "Create an admin person, or make an existing one an active admin with a new password "
        "(generated and printed when not given). Never prompts, so it runs in deploy scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="Generated when omitted.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, email, password, first_name, last_name, **options):
        email = normalize_email(email)
        password = password or secrets.token_urlsafe(18)
        with transaction.atomic():
            existing = Person.objects.select_for_update().filter(email=email).first()
            person = existing or Person(email=email)
            before = events.snapshot(existing) if existing else None
            person.role = Person.Role.ADMIN
            person.active = True
            person.first_name = first_name or person.first_name
            person.last_name = last_name or person.last_name
            try:
                person.full_clean(exclude=["password"])
                password_validation.validate_password(password, person)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            person.set_password(password)
            # Naming the admin on the command line is the explicit act that
            # lets this door write a person; a reset password ends old sessions.
            persons.person_save(person=person, actor=persons.SystemActor(persons=True))
            events.store([events.created(person)] if existing is None else events.update_events(person, before))
        self.stdout.write(f"Login: {email} / Password: {password}")
