"""Verifying Open Badges 3.0 credentials against our keys and status list, with a precise reason.

Accepted inputs: the compact JWS (what `credential.jwt` holds), our JSON document (the signed
claims plus `proof: {type: JwtProof2020, jwt}`), a VC 2.0 `EnvelopedVerifiableCredential`, or a
baked PNG. Every failure is a `VerificationError` whose `reason` is one of the short, stable
strings below; nothing else escapes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import jwt
from openbadgeslib import baking
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier, OpenBadgeCredential
from openbadgeslib.ob3.status import check_credential_status

from connective.accounts.models import Person
from connective.credentials import signing
from connective.credentials.models import IssuerKey, Statement
from connective.credentials.services import remote

logger = logging.getLogger("connective.credentials")

#: The largest credential we read (a real one is a few kilobytes).
MAX_BYTES = 512 * 1024

VALID = "valid"
BAD_SIGNATURE = "bad signature"
UNKNOWN_KEY = "unknown issuer key"
REVOKED_KEY = "revoked key"
REVOKED = "revoked"
EXPIRED = "expired"
WRONG_RECIPIENT = "wrong recipient"
STATUS_UNAVAILABLE = "revocation status unavailable"

EXPLANATIONS = {
    BAD_SIGNATURE: "The signature does not match the credential: it was changed after signing, "
    "or the signature belongs to another credential.",
    UNKNOWN_KEY: "The credential names a signing key that its issuer does not publish, "
    "so it cannot be checked.",
    REVOKED_KEY: "The key that signed this credential was withdrawn by its issuer.",
    REVOKED: "The issuer revoked this statement.",
    EXPIRED: "The credential's validity period has ended.",
    WRONG_RECIPIENT: "The credential was issued to someone else.",
    STATUS_UNAVAILABLE: "The issuer's revocation list could not be fetched or checked, so we "
    "cannot tell whether the credential was revoked.",
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class VerificationError(Exception):
    """A credential that does not verify; `reason` is the short, stable reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def headline(self) -> str:
        """The reason as a page's heading says it: a reason of its own ("bad signature",
        "revoked"), or, for anything unreadable, that it is not a credential at all (the
        explanation says what was wrong with it)."""
        if self.reason.startswith("malformed: "):
            return "not a credential we can read"
        return self.reason

    @property
    def explanation(self) -> str:
        """A sentence for people."""
        if self.reason.startswith("malformed: "):
            return "This is not a credential we can read: " + self.reason[11:] + "."
        return EXPLANATIONS.get(self.reason, self.reason)


def malformed(what: str) -> VerificationError:
    """The error for input that is not a readable credential."""
    return VerificationError(f"malformed: {what}")


@dataclass
class Verified:
    """A credential that verified: its signed claims, and our statement if it is one of ours."""

    payload: dict[str, Any]
    key: IssuerKey | None
    statement: Statement | None
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def subject(self) -> dict[str, Any]:
        return self.payload["credentialSubject"]

    @property
    def achievement(self) -> dict[str, Any]:
        return self.subject.get("achievement") or {}


def verify_credential(
    data: bytes | str, for_person: Person | None = None, fetch_remote: bool = False
) -> Verified:
    """Verify a credential; raise VerificationError with the precise reason if it is not valid.

    With `for_person`, the credential must also have been issued to that person (so a learner
    cannot present someone else's credential as theirs). With `fetch_remote`, another issuer's
    keys and status list are fetched from its site; without, its credentials are an unknown key.
    """
    token, document = extract_token(data)
    header, claims = _unverified(token)
    key: IssuerKey | None = None
    if _claimed_issuer(claims) == signing.issuer_id():
        key = _our_key(header, claims)
        public = jwt.PyJWK(key.public_jwk, algorithm=signing.ALGORITHM)
    elif fetch_remote and remote.allowed_issuer(_claimed_issuer(claims)):
        public = _remote_key(header, claims)
    else:
        raise VerificationError(UNKNOWN_KEY)
    payload, credential = _check_signature(token, public)
    if document is not None and not _same_claims(document, payload):
        raise VerificationError(BAD_SIGNATURE)
    subject: dict[str, Any] = payload["credentialSubject"]
    if for_person is not None and subject.get("id") != for_person.uri:
        raise VerificationError(WRONG_RECIPIENT)
    statement = _statement_for(payload) if key is not None else None
    if statement is not None and statement.is_revoked:
        raise VerificationError(REVOKED)
    if key is None:
        _check_remote_status(credential, _claimed_issuer(claims))
    evidence = [e for e in payload.get("evidence") or [] if isinstance(e, dict)]
    return Verified(payload=payload, key=key, statement=statement, evidence=evidence)


def extract_token(data: bytes | str) -> tuple[str, dict[str, Any] | None]:
    """The compact JWS inside the input, and the JSON document around it if there is one."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise malformed(f"larger than {MAX_BYTES // 1024} KB")
    if data.startswith(_PNG_SIGNATURE):
        return _from_png(data), None
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise malformed("not UTF-8 text") from None
    if not text:
        raise malformed("empty")
    if text.startswith("{"):
        document = _parse_json(text)
        token = _token_in(document)
        # An envelope only wraps the JWT; a document with a proof also states the claims.
        return token, (document if "proof" in document else None)
    if text.count(".") == 2 and all(part for part in text.split(".")):
        return text, None
    raise malformed("neither JSON nor a JWT")


def _from_png(data: bytes) -> str:
    try:
        token = baking.extract_png(data, keyword=baking.ITXT_KEYWORD_OB3)
    except Exception:  # pypng raises many kinds of errors for a broken file
        raise malformed("unreadable PNG") from None
    if not token:
        raise malformed("a PNG without an embedded credential")
    return token.strip()


def _parse_json(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise malformed("not JSON") from None
    if not isinstance(document, dict):
        raise malformed("not a JSON object")
    return document


def _token_in(document: dict[str, Any]) -> str:
    """The JWT carried by a JSON credential document."""
    types = document.get("type")
    if types == "EnvelopedVerifiableCredential" or (
        isinstance(types, list) and "EnvelopedVerifiableCredential" in types
    ):
        envelope = document.get("id")
        prefix = "data:application/vc+jwt,"
        if not isinstance(envelope, str) or not envelope.startswith(prefix):
            raise malformed("the envelope holds no JWT")
        return envelope[len(prefix) :]
    proof = document.get("proof")
    if proof is None:
        raise malformed("no proof: the credential is not signed")
    if not isinstance(proof, dict):
        raise malformed("proof is not an object")
    if proof.get("type") != "JwtProof2020":
        raise malformed(f"unsupported proof type {str(proof.get('type'))[:60]!r}")
    token = proof.get("jwt")
    if not isinstance(token, str) or token.count(".") != 2:
        raise malformed("proof.jwt is not a JWT")
    return token


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except (jwt.InvalidTokenError, ValueError, RecursionError, TypeError):
        raise malformed("unreadable JWT") from None
    if not isinstance(claims, dict):
        raise malformed("the JWT payload is not an object")
    return header, claims


def _claimed_issuer(claims: dict[str, Any]) -> Any:
    issuer = claims.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _our_key(header: dict[str, Any], claims: dict[str, Any]) -> IssuerKey:
    """The key of ours that the token names; anything else is an unknown issuer key."""
    prefix = signing.issuer_id() + "#"
    if claims.get("iss") != signing.issuer_id():
        raise VerificationError(UNKNOWN_KEY)
    kid = header.get("kid")
    key = None
    if isinstance(kid, str) and kid.startswith(prefix):
        key = IssuerKey.objects.filter(kid=kid[len(prefix) :]).first()
    if key is None:
        raise VerificationError(UNKNOWN_KEY)
    if key.withdrawn_at is not None:
        raise VerificationError(REVOKED_KEY)
    return key


def _remote_key(header: dict[str, Any], claims: dict[str, Any]) -> jwt.PyJWK:
    """Another issuer's key, as its own site publishes it."""
    issuer = _claimed_issuer(claims)
    if claims.get("iss") != issuer:
        raise VerificationError(UNKNOWN_KEY)
    try:
        return remote.issuer_key(issuer, header)
    except remote.RemoteKeyError:
        raise VerificationError(UNKNOWN_KEY) from None


def _check_remote_status(credential: OpenBadgeCredential, issuer: str) -> None:
    """Another issuer's revocation list, fetched, checked to be the issuer's, then read."""
    urls = [
        entry.get("statusListCredential")
        for entry in credential.credential_status
        if isinstance(entry, dict)
    ]
    try:
        lists = remote.verified_status_lists(issuer, [u for u in urls if isinstance(u, str)])
    except remote.RemoteKeyError:
        raise VerificationError(STATUS_UNAVAILABLE) from None
    try:
        check_credential_status(credential, download=lambda url: lists[url], verify_list=False)
    except OB3VerificationError as error:
        if " is set at index " in str(error):
            raise VerificationError(REVOKED) from None
        raise VerificationError(STATUS_UNAVAILABLE) from None


def _check_signature(token: str, public: jwt.PyJWK) -> tuple[dict[str, Any], OpenBadgeCredential]:
    """Verify the JWS and the OB 3.0 structure with openbadgeslib; map its errors to reasons."""
    try:
        header_alg = jwt.get_unverified_header(token).get("alg")
        if header_alg != public.algorithm_name:
            raise jwt.InvalidSignatureError("algorithm differs from the key's")
        jwt.decode(token, public, algorithms=[public.algorithm_name])
    except jwt.InvalidSignatureError:
        raise VerificationError(BAD_SIGNATURE) from None
    except jwt.ExpiredSignatureError:
        raise VerificationError(EXPIRED) from None
    except jwt.ImmatureSignatureError:
        raise malformed("not valid yet") from None
    except (jwt.InvalidTokenError, ValueError, RecursionError, TypeError):
        raise malformed("unreadable JWT") from None
    try:
        credential = OB3Verifier(pubkey_pem=_pem(public)).verify(token)
    except OB3VerificationError as exc:
        if "expired" in str(exc).lower():
            raise VerificationError(EXPIRED) from None
        raise malformed(_short(str(exc))) from None
    except Exception:  # the signature held, so this is our data tripping the library: say so
        logger.exception("openbadgeslib failed on a correctly signed credential")
        raise malformed("the credential's structure could not be read") from None
    payload = credential.raw
    if not isinstance(payload, dict) or not isinstance(payload.get("credentialSubject"), dict):
        raise malformed("credentialSubject is not an object")
    return payload, credential


def _pem(public: jwt.PyJWK) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public.key.public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _short(message: str) -> str:
    return message.splitlines()[0][:200] if message else "invalid credential"


_REGISTERED_CLAIMS = {"iss", "sub", "jti", "nbf", "exp", "iat"}


def _same_claims(document: dict[str, Any], payload: dict[str, Any]) -> bool:
    """Whether a JSON document says exactly what the JWT inside it signed.

    The JWT's registered claims (iss, sub, …) may be left out of the document, not changed.
    """
    shown = {k: v for k, v in document.items() if k != "proof"}
    signed = {k: v for k, v in payload.items() if k in shown or k not in _REGISTERED_CLAIMS}
    return shown == signed


def _statement_for(payload: dict[str, Any]) -> Statement | None:
    """Our statement behind a verified credential of ours, found by its status list index."""
    status = payload.get("credentialStatus")
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("statusListCredential") != (
            signing.status_list_url()
        ):
            continue
        try:
            index = int(entry.get("statusListIndex"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise malformed("statusListIndex is not a number") from None
        return Statement.objects.filter(status_index=index).first()
    return None
