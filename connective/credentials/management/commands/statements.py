"""`connective statements --user HANDLE --out DIR`: write a person's statements as JSON files."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from connective.accounts.models import Person
from connective.credentials.models import Statement


class Command(BaseCommand):
    """Export one person's statements of participation, one JSON file each."""

    help = (
        "Write every statement of participation of a person (valid and revoked) as JSON files "
        "named statement-<id>.json in DIR, creating DIR."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, help="The person's handle on this instance.")
        parser.add_argument("--out", required=True, help="The folder to write to.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Leave out revoked statements."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.local().filter(handle__iexact=options["user"]).first()
        if person is None:
            raise CommandError(f"No person with the handle {options['user']!r} on this instance.")
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {out}: {error.strerror or error}") from error
        statements = Statement.objects.filter(recipient=person).order_by("issued_at", "id")
        if options["valid_only"]:
            statements = statements.valid()
        count = 0
        for statement in statements:
            path = out / f"statement-{statement.public_id}.json"
            body = json.dumps(statement.credential_document(), indent=2, ensure_ascii=False)
            try:
                path.write_text(body + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error
            count += 1
        self.stdout.write(f"Wrote {count} statement{'s' if count != 1 else ''} to {out}")
