"""`connective verify FILE`: check an Open Badges 3.0 credential; print `valid` or the reason."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from connective.accounts.models import Person
from connective.credentials.services.verification import (
    MAX_BYTES,
    VALID,
    VerificationError,
    verify_credential,
)


class Command(BaseCommand):
    """Verify a credential file (JSON, JWT or baked PNG); exit 0 only if it is valid."""

    help = (
        "Verify a statement of participation (JSON, .jwt or baked PNG). Prints 'valid' and exits "
        "0, or prints the reason (bad signature, unknown issuer key, revoked key, revoked, "
        "expired, wrong recipient, revocation status unavailable, malformed: …) and exits 1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The credential file; '-' reads standard input.")
        parser.add_argument(
            "--for", dest="handle", help="Also require that it was issued to this local person."
        )
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Do not fetch other issuers' keys and status lists (they become unknown keys).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = self._read(options["file"])
        person = None
        if options["handle"]:
            person = Person.objects.local().filter(handle__iexact=options["handle"]).first()
            if person is None:
                self._fail(f"unknown person: {options['handle']}", code=2)
        try:
            verify_credential(data, for_person=person, fetch_remote=not options["offline"])
        except VerificationError as error:
            self._fail(error.reason)
        self.stdout.write(VALID)

    def _read(self, name: str) -> bytes:
        """At most MAX_BYTES + 1 bytes of the file (more is reported as too large)."""
        if name == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1)
        try:
            with Path(name).open("rb") as handle:
                return handle.read(MAX_BYTES + 1)
        except OSError as error:
            self._fail(f"cannot read {name}: {error.strerror or error}", code=2)

    def _fail(self, reason: str, code: int = 1) -> NoReturn:
        self.stdout.write(reason)
        sys.exit(code)
