"""Whose archive is this: an import takes my own archive, or one from another server (a move);
never the archive of someone else on this server."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.core.uris import absolute_uri, site_host
from connective.portability.services.archive import ArchiveError
from connective.portability.services.plan import Account, ImportPlan


def is_mine(person: Person, account: Account) -> bool:
    """Whether the archive's account is `person` (same address or same handle@host)."""
    return bool(
        (account.uri and account.uri == person.uri)
        or (account.acct and account.acct.lstrip("@").lower() == person.acct.lower())
    )


def _from_here(account: Account) -> bool:
    here = absolute_uri("/").rstrip("/")
    if account.instance and account.instance.rstrip("/") == here:
        return True
    if account.uri.startswith(here + "/"):
        return True
    return account.acct.lower().endswith("@" + site_host().lower())


def _local_owner(account: Account) -> Person | None:
    """The still-active local account the archive was written for, if there is one."""
    if not account.uri:
        return None
    owner = Person.objects.filter(uri=account.uri, suspended_at__isnull=True).first()
    return owner if owner is not None and owner.is_local else None


def check_owner(person: Person, plan: ImportPlan) -> None:
    """ArchiveError if the archive belongs to someone else on this server."""
    account = plan.account
    if account is None or is_mine(person, account):
        return
    if _from_here(account) or _local_owner(account) is not None:
        who = account.acct or account.uri or "another account"
        if account.name:
            who = f"{account.name} ({who})"
        raise ArchiveError(
            f"This archive belongs to {who} on this server, not to you. You can import your "
            "own archive, or one you exported from another server."
        )


def describe(account: Account | None) -> dict[str, str]:
    """The archive's account for the preview and the report."""
    if account is None:
        return {}
    return {"acct": account.acct, "uri": account.uri, "name": account.name}
