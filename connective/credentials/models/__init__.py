"""Credential models."""

from connective.credentials.models.issuer_key import IssuerKey
from connective.credentials.models.statement import Statement

__all__ = ["IssuerKey", "Statement"]
