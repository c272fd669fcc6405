"""`connective export --user HANDLE --out FILE`: write a person's archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from connective.accounts.models import Person
from connective.portability.services.export import write_archive


class Command(BaseCommand):
    """Export one local person's whole network to a zip archive."""

    help = "Export a person's network (connections, posts, files, …) to a zip archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The person's handle.")
        parser.add_argument("--out", required=True, help="Where to write the .zip file.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.local().filter(handle__iexact=options["user"]).first()
        if person is None:
            raise CommandError(f"No local person with the handle {options['user']!r}.")
        out = Path(options["out"])
        if out.is_dir():
            raise CommandError(f"{out} is a folder; give a file name ending in .zip.")
        try:
            with out.open("wb") as stream:
                manifest = write_archive(person, stream)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from exc
        counts = ", ".join(f"{n} {what}" for what, n in manifest["counts"].items())
        self.stdout.write(f"Wrote {out} ({counts or 'nothing yet'}).")
