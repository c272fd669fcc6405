"""`connective issuer_keys [list|rotate|withdraw KID]`: manage the keys that sign statements."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from connective.credentials import signing
from connective.credentials.models import IssuerKey


class Command(BaseCommand):
    """List, rotate or withdraw the instance's credential signing keys."""

    help = (
        "list: show the keys. rotate: retire the current key (it keeps verifying what it signed) "
        "and sign from now on with a new one. withdraw KID: the key was compromised; it is no "
        "longer published and what it signed no longer verifies (reason: revoked key)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action", nargs="?", default="list", choices=["list", "rotate", "withdraw"]
        )
        parser.add_argument("kid", nargs="?", help="The key id to withdraw (see list).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "rotate":
            self._rotate()
        elif action == "withdraw":
            self._withdraw(options["kid"])
        self._list()

    def _rotate(self) -> None:
        with transaction.atomic():
            IssuerKey.objects.active().update(retired_at=timezone.now())
            key = signing.generate_key()
        self.stdout.write(f"New signing key {key.kid}; earlier keys retired.")

    def _withdraw(self, kid: str | None) -> None:
        if not kid:
            raise CommandError("Name the key to withdraw: issuer_keys withdraw KID")
        key = IssuerKey.objects.filter(kid=kid).first()
        if key is None:
            raise CommandError(f"No key {kid!r}.")
        now = timezone.now()
        key.withdrawn_at = key.withdrawn_at or now
        key.retired_at = key.retired_at or now
        key.save(update_fields=["withdrawn_at", "retired_at"])
        count = key.statements.count()
        self.stdout.write(
            f"Withdrew {kid}: {count} statement{'s' if count != 1 else ''} signed with it no "
            "longer verify. Revoke them and issue them anew if they still stand."
        )

    def _list(self) -> None:
        for key in IssuerKey.objects.order_by("created_at", "id"):
            state = (
                "withdrawn"
                if key.withdrawn_at
                else "retired (verifies only)"
                if key.retired_at
                else "signing"
            )
            created = key.created_at.date().isoformat()
            count = key.statements.count()
            signed = f"{count} statement{'s' if count != 1 else ''}"
            self.stdout.write(f"{key.kid}  {created}  {state}  {signed}")
