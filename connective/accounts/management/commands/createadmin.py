"""`connective createadmin --handle H --email E [--password P]`: an administrator with a profile."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from connective.accounts.services.admins import AdminError, create_admin

PASSWORD_ENV = "CONNECTIVE_ADMIN_PASSWORD"


class Command(BaseCommand):
    """Create a superuser with a verified email address and a Person."""

    help = (
        "Create an administrator: a superuser with a verified email address and a profile. "
        f"Without --password, asks for it on a terminal, or reads {PASSWORD_ENV}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--handle", required=True, help="The administrator's handle.")
        parser.add_argument("--email", required=True, help="Their email address.")
        parser.add_argument(
            "--password",
            help=f"The password (visible to other processes; prefer the prompt or {PASSWORD_ENV}).",
        )

    def handle(self, *args, **options) -> None:
        password = options["password"] or self._password()
        try:
            person = create_admin(options["handle"], options["email"], password)
        except AdminError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created administrator @{person.handle}."))

    def _password(self) -> str:
        """Ask twice on a terminal; otherwise take the environment variable."""
        if sys.stdin.isatty():
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
            return first
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            raise CommandError(f"Give --password, run on a terminal, or set {PASSWORD_ENV}.")
        return password
