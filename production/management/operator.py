"""Who a `manage.py` command's changes are by.

Every command that writes production rows derives from OperatorCommand: its
events (production.events) name the person given with `--as EMAIL` (or the
`ZOU_OPERATOR` environment variable), or, when none is given, the command
and the operating-system user that ran it, kept as the event's `via`."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from production.events import acting_as
from production.models import Person, normalize_email


def os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return str(os.getuid())


class OperatorCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        self.command_name = subcommand
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--as",
            dest="operator",
            default=os.environ.get("ZOU_OPERATOR") or None,
            metavar="EMAIL",
            help="The person the changes are recorded as made by (default: $ZOU_OPERATOR; "
            "without either, the events name this command and your system user).",
        )
        return parser

    def execute(self, *args, operator=None, **options):
        person = self.operator(operator)
        via = None if person else f"manage.py {getattr(self, 'command_name', self.__module__.rsplit('.', 1)[-1])} (os user: {os_user()})"
        with acting_as(person, via=via):
            return super().execute(*args, **options)

    @staticmethod
    def operator(email):
        if not email:
            return None
        person = Person.objects.filter(email=normalize_email(email)).first()
        if person is None or not person.active:
            raise CommandError(f"--as {email}: no active person has this email.")
        return person
