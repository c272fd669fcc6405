"""`connective import --user HANDLE FILE`: check a file, show what it would do, apply it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from connective.accounts.models import Person
from connective.portability.services.apply import apply_plan, preview
from connective.portability.services.archive import ArchiveError
from connective.portability.services.importing import plan_file
from connective.portability.services.jobs import summary


class Command(BaseCommand):
    """Import a Connective archive, a Mastodon export or an OPML file for one local person."""

    help = "Import a Connective archive, a Mastodon export (zip or CSV) or OPML for a person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The person's handle.")
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file and say what it would do."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.local().filter(handle__iexact=options["user"]).first()
        if person is None:
            raise CommandError(f"No local person with the handle {options['user']!r}.")
        path = Path(options["file"])
        try:
            with path.open("rb") as source:
                plan, zf = plan_file(source, path.name)
                if options["dry_run"]:
                    self._show("Would import", preview(person, plan))
                    return
                self._show("Imported", apply_plan(person, plan, zf))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except ArchiveError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc

    def _show(self, head: str, report: dict) -> None:
        self.stdout.write(f"{head}: {summary(report)}.")
        for reason in report.get("rejected", [])[:20]:
            self.stdout.write(f"  skipped: {reason}")
        for address in report.get("unresolved", [])[:50]:
            self.stdout.write(f"  kept to find later: {address}")
        for note in report.get("notes", []):
            self.stdout.write(f"  {note}")
