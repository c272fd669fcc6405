"""The instance's signing keys, kept in the database: rotation leaves old credentials verifiable."""

from __future__ import annotations

from django.db import models


class IssuerKeyQuerySet(models.QuerySet["IssuerKey"]):
    """Queries over issuer keys."""

    def active(self) -> IssuerKeyQuerySet:
        """Keys that still sign new credentials (normally exactly one)."""
        return self.filter(retired_at__isnull=True, withdrawn_at__isnull=True)


class IssuerKey(models.Model):
    """One Ed25519 key pair of this instance; retired keys still verify what they signed."""

    kid = models.CharField(max_length=64, unique=True, help_text="Key id, the JWK 'kid'.")
    algorithm = models.CharField(max_length=16, default="EdDSA")
    public_jwk = models.JSONField(help_text="The public key as a JSON Web Key.")
    private_key_pem = models.TextField(help_text="PKCS#8 PEM; never shown.")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="No longer signs; still verifies what it signed."
    )

    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Compromised: no longer published; what it signed no longer verifies.",
    )

    objects = IssuerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.kid
