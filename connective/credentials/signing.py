"""Signing Open Badges 3.0 credentials as JWT-VCs with the instance's Ed25519 keys.

A thin wrapper around `openbadgeslib` (its OB 3.0 credential model, Bitstring Status List
and PNG baking), so the rest of Connective never imports the library directly. The JOSE header
carries both `kid` (an absolute URL naming the key in our issuer document) and `jwk` (the public
key itself), as OB 3.0 §8.2.3 allows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from jwt.algorithms import OKPAlgorithm
from openbadgeslib.ob3 import credential as ob3
from openbadgeslib.ob3.status_list import build_status_list_credential, status_entry

from connective.core.uris import absolute_uri
from connective.credentials.models import IssuerKey

ALGORITHM = "EdDSA"
STATUS_PURPOSE = "revocation"
#: The status list's size in bits: the Bitstring Status List minimum (16 KiB), grown by whole
#: blocks of this size when more statements exist.
STATUS_BLOCK_BITS = 131072
STATUS_LIST_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class CredentialParts:
    """What goes into one credential, in plain values."""

    credential_id: str
    recipient_uri: str
    recipient_name: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria: str
    tags: list[str]
    evidence: list[dict[str, str]]
    issued_at: datetime
    status_index: int


def issuer_id() -> str:
    """This instance's issuer Profile id: an absolute URL that serves the profile document."""
    return absolute_uri(reverse("credentials:issuer"))


def status_list_url() -> str:
    """The absolute URL of the revocation status list credential."""
    return absolute_uri(reverse("credentials:status_list"))


def jwks_url() -> str:
    """The absolute URL of the issuer's JSON Web Key Set."""
    return absolute_uri(reverse("credentials:jwks"))


def key_url(kid: str) -> str:
    """The absolute `kid` of a key: the issuer document's URL with the key's fragment."""
    return f"{issuer_id()}#{kid}"


def issuer_profile() -> ob3.Issuer:
    """The issuer Profile embedded in every credential we sign."""
    return ob3.Issuer(
        id=issuer_id(), name=settings.CONNECTIVE_INSTANCE_NAME, url=settings.CONNECTIVE_SITE_URL
    )


def generate_key() -> IssuerKey:
    """Create and store a new Ed25519 signing key (does not retire the others)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    kid = "key-" + secrets.token_hex(8)
    return IssuerKey.objects.create(
        kid=kid, algorithm=ALGORITHM, public_jwk=jwk, private_key_pem=pem
    )


def signing_key() -> IssuerKey:
    """The key that signs new credentials: the newest active one, created on first use."""
    with transaction.atomic():
        key = IssuerKey.objects.active().select_for_update().first()
        return key if key is not None else generate_key()


def public_jwk(key: IssuerKey) -> dict[str, Any]:
    """A key's public JWK as published: with its absolute kid, algorithm and use."""
    return {**key.public_jwk, "kid": key_url(key.kid), "alg": key.algorithm, "use": "sig"}


def build_credential(parts: CredentialParts) -> dict[str, Any]:
    """The JWT payload of an OpenBadgeCredential: the credential itself plus iss/sub/jti/nbf."""
    achievement = ob3.Achievement(
        id=parts.achievement_id,
        name=parts.achievement_name,
        description=parts.achievement_description,
        criteria_narrative=parts.criteria,
        tags=list(parts.tags),
        achievement_type="Course",
    )
    credential = ob3.OpenBadgeCredential(
        issuer=issuer_profile(),
        recipient_id=parts.recipient_uri,
        achievement=achievement,
        id=parts.credential_id,
        name=parts.achievement_name,
        issuance_date=parts.issued_at,
        evidence=[ob3.Evidence(**item) for item in parts.evidence],
        credential_status=[status_entry(status_list_url(), STATUS_PURPOSE, parts.status_index)],
    )
    payload = credential.to_jwt_payload()
    payload["credentialSubject"]["name"] = parts.recipient_name
    return payload


def sign(payload: dict[str, Any], key: IssuerKey) -> str:
    """Sign a payload as a compact JWS (EdDSA) naming the key by kid and by jwk."""
    private = serialization.load_pem_private_key(key.private_key_pem.encode(), password=None)
    headers = {"kid": key_url(key.kid), "jwk": key.public_jwk, "typ": "JWT"}
    return jwt.encode(payload, private, algorithm=ALGORITHM, headers=headers)  # type: ignore[arg-type]


def status_list_payload(revoked_indices: list[int]) -> dict[str, Any]:
    """The JWT payload of our BitstringStatusListCredential with the given bits set."""
    highest = max(revoked_indices, default=0)
    size = STATUS_BLOCK_BITS * (highest // STATUS_BLOCK_BITS + 1)
    now = timezone.now()
    vc = build_status_list_credential(
        issuer_id(),
        status_list_url(),
        STATUS_PURPOSE,
        revoked_indices,
        size_bits=size,
        issued=now,
        # Made fresh on every request: a copy older than this is stale, so an old list replayed
        # by someone in the middle cannot un-revoke a statement for long.
        valid_until=now + STATUS_LIST_LIFETIME,
    )
    return {**vc, "iss": vc["issuer"], "jti": vc["id"], "nbf": int(now.timestamp())}
