"""Issuing and revoking statements of participation (the public interface of this app).

Callers (courses) decide *when* a person has earned a statement and notify them; this module
only signs, stores and revokes. It knows nothing about courses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.core.uris import is_web_url
from connective.credentials import signing
from connective.credentials.models import Statement


class IssuingError(Exception):
    """A statement cannot be issued or revoked as asked."""


@dataclass(frozen=True)
class Achievement:
    """What was achieved: `id` is a stable absolute URL (e.g. the course's address)."""

    id: str
    name: str
    description: str
    criteria: str
    topics: list[str]


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: `id` is its absolute URL (e.g. the learner's post)."""

    id: str
    name: str
    narrative: str


def issue_statement(
    recipient: Person, achievement: Achievement, evidence: list[EvidenceItem], source_uri: str
) -> Statement:
    """Sign and store a statement for `recipient`; idempotent per (recipient, source_uri).

    If a valid (unrevoked) statement for the same source already exists it is returned unchanged.
    """
    _check(achievement, source_uri)
    existing = Statement.objects.valid().filter(recipient=recipient, source_uri=source_uri).first()
    if existing is not None:
        return existing
    if not recipient.is_local:
        raise IssuingError("Statements are issued only to people on this instance.")
    try:
        with transaction.atomic():
            return _create(recipient, achievement, evidence, source_uri)
    except IntegrityError:
        # Another request issued the same statement at the same moment: return that one.
        return Statement.objects.valid().get(recipient=recipient, source_uri=source_uri)


def _check(achievement: Achievement, source_uri: str) -> None:
    """Refuse what would make a statement that cannot be told apart or read."""
    if not is_web_url(source_uri) or len(source_uri) > 500:
        raise IssuingError("A statement needs the web address of what it is for (source_uri).")
    if not achievement.id.strip():
        raise IssuingError("An achievement needs an id (its address).")
    if not achievement.name.strip():
        raise IssuingError("An achievement needs a name.")


def _create(
    recipient: Person, achievement: Achievement, evidence: list[EvidenceItem], source_uri: str
) -> Statement:
    """Insert the row (to get its status list index), then sign and store the credential."""
    key = signing.signing_key()
    statement = Statement.objects.create(
        recipient=recipient,
        source_uri=source_uri,
        achievement_name=achievement.name[:300],
        issued_at=timezone.now().replace(microsecond=0),
        key=key,
    )
    statement.status_index = statement.pk
    parts = signing.CredentialParts(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        recipient_uri=recipient.uri,
        recipient_name=recipient.name,
        achievement_id=achievement.id,
        achievement_name=achievement.name,
        achievement_description=achievement.description,
        criteria=achievement.criteria,
        tags=list(achievement.topics),
        evidence=[{"id": e.id, "name": e.name, "narrative": e.narrative} for e in evidence],
        issued_at=statement.issued_at,
        status_index=statement.status_index,
    )
    payload = signing.build_credential(parts)
    statement.credential = signing.sign(payload, key)
    statement.credential_json = payload
    statement.save(update_fields=["status_index", "credential", "credential_json"])
    return statement


def revoke(statement: Statement, reason: str, by: Person | None) -> Statement:
    """Revoke a statement with a reason; its bit is set in the status list. Idempotent."""
    reason = reason.strip()
    if not reason:
        raise IssuingError("Give a reason for revoking the statement.")
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_reason = reason[:500]
            locked.revoked_by = by
            locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return locked
