"""A statement of participation: an Open Badges 3.0 credential issued to one person."""

from __future__ import annotations

import copy
import secrets

from django.db import models
from django.urls import reverse


def new_public_id() -> str:
    """A random, unguessable id for a statement's public address."""
    return secrets.token_urlsafe(16)


class StatementQuerySet(models.QuerySet["Statement"]):
    """Queries over statements."""

    def valid(self) -> StatementQuerySet:
        """Statements that have not been revoked."""
        return self.filter(revoked_at__isnull=True)

    def revoked(self) -> StatementQuerySet:
        """Statements that have been revoked."""
        return self.filter(revoked_at__isnull=False)


class Statement(models.Model):
    """One signed credential, stored exactly as signed, with its revocation state."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    recipient = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="statements"
    )
    source_uri = models.URLField(
        max_length=500, help_text="What the statement is for (e.g. the course's address)."
    )
    achievement_name = models.CharField(max_length=300)
    issued_at = models.DateTimeField()
    credential = models.TextField(help_text="The credential exactly as signed (a compact JWS).")
    credential_json = models.JSONField(
        default=dict, help_text="The signed credential's payload, for display."
    )
    key = models.ForeignKey(
        "credentials.IssuerKey", null=True, on_delete=models.PROTECT, related_name="statements"
    )
    status_index = models.PositiveIntegerField(
        unique=True, null=True, help_text="This statement's bit in the revocation status list."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source_uri"],
                condition=models.Q(revoked_at__isnull=True),
                name="statement_one_valid_per_source",
            ),
        ]
        indexes = [models.Index(fields=["source_uri"], name="statement_source")]

    def __str__(self) -> str:
        return f"{self.achievement_name} — {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("credentials:statement", kwargs={"public_id": self.public_id})

    def credential_document(self) -> dict[str, object]:
        """The credential as a JSON document: the signed claims plus the JWT as a JwtProof2020."""
        return {
            **copy.deepcopy(self.credential_json),
            "proof": {"type": "JwtProof2020", "jwt": self.credential},
        }

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
