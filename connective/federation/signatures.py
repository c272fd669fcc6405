"""HTTP Signatures: sign outgoing requests (draft-cavage rsa-sha256, what Mastodon expects) and
verify incoming ones (draft-cavage, and RFC 9421 with rsa-v1_5-sha256 or ed25519).

Pure functions over bytes and header mappings: no Django models, no network. The inbox finds the
key (`request_key_id`), fetches its owner and calls `verify_request`; every refusal raises
SignatureError with a reason for the log; a header that cannot even be parsed raises
SignatureParseError (a 400, not a 401).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

# How far a request's Date (or RFC 9421 `created`) may be from our clock, either way. Mastodon
# allows 12 hours too; clocks on small instances drift and queues delay retries.
MAX_SKEW = timedelta(hours=12)
SIGNED_HEADERS = ("(request-target)", "host", "date", "digest")
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*(?:"([^"]*)"|([^,"\s]*))\s*(?:,|$)')
MAX_HEADER_LENGTH = 8192


class SignatureError(Exception):
    """A request whose signature does not hold (401); `reason` says why, for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignatureParseError(SignatureError):
    """A signature header that cannot be parsed at all (400)."""


@dataclass(frozen=True)
class CavageSignature:
    """The parts of a draft-cavage `Signature` header."""

    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes
    created: int | None = None
    expires: int | None = None


@dataclass(frozen=True)
class MessageSignature:
    """One RFC 9421 signature: its covered components, parameters and bytes."""

    label: str
    components: tuple[str, ...]
    params: dict[str, str | int]
    params_text: str
    signature: bytes

    @property
    def key_id(self) -> str:
        """The `keyid` parameter."""
        return str(self.params.get("keyid", ""))


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def digest_header(body: bytes) -> str:
    """The `Digest` header value for a body (RFC 3230, SHA-256)."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(when: datetime) -> str:
    """An HTTP date (RFC 9110) for `when`."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


@lru_cache(maxsize=256)
def _load_private(pem: str) -> RSAPrivateKey:
    """A private key from PEM, kept: OpenSSL's RSA key check costs ~100 ms a load, more than
    signing a thousand requests."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("Only RSA keys sign our requests.")
    return key


def sign_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers to send for a draft-cavage rsa-sha256 signed request.

    Returns `headers` plus Host, Date, Digest (when there is a body, i.e. POST) and Signature
    over "(request-target) host date digest".
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    out = dict(headers)
    out["Host"] = parts.netloc
    out["Date"] = http_date(now or datetime.now(UTC))
    names = ["(request-target)", "host", "date"]
    if body is not None or method.upper() == "POST":
        out["Digest"] = digest_header(body or b"")
        names.append("digest")
    lines = _signing_lines(method, path, _lower(out), names)
    signature = _load_private(private_key_pem).sign(
        "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    out["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return out


def _signing_lines(
    method: str, path: str, headers: dict[str, str], names: list[str] | tuple[str, ...]
) -> list[str]:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif name in ("(created)", "(expires)"):
            value = headers.get(name)
            if value is None:
                raise SignatureError(f"{name} is signed but not given")
            lines.append(f"{name}: {value}")
        else:
            if name not in headers:
                raise SignatureError(f"signed header {name!r} is missing")
            lines.append(f"{name}: {headers[name].strip()}")
    return lines


def parse_cavage(value: str) -> CavageSignature:
    """Parse a draft-cavage `Signature` header; SignatureParseError if it is malformed."""
    if len(value) > MAX_HEADER_LENGTH:
        raise SignatureParseError("signature header too long")
    params: dict[str, str] = {}
    pos = 0
    while pos < len(value):
        match = _PARAM.match(value, pos)
        if not match or match.end() == pos:
            raise SignatureParseError("malformed signature header")
        params[match.group(1).lower()] = (
            match.group(2) if match.group(2) is not None else match.group(3)
        )
        pos = match.end()
    if not params.get("keyid") or not params.get("signature"):
        raise SignatureParseError("signature header lacks keyId or signature")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        created = int(params["created"]) if "created" in params else None
        expires = int(params["expires"]) if "expires" in params else None
    except (binascii.Error, ValueError) as exc:
        raise SignatureParseError("signature header has a malformed value") from exc
    return CavageSignature(
        key_id=params["keyid"],
        algorithm=params.get("algorithm", "hs2019").lower(),
        headers=tuple(params.get("headers", "date").lower().split()),
        signature=signature,
        created=created,
        expires=expires,
    )


def request_key_id(headers: Mapping[str, str]) -> str:
    """The keyId a request claims to be signed with (SignatureError if it is not signed)."""
    low = _lower(headers)
    if "signature-input" in low:
        return parse_message_signature(low).key_id
    if "signature" not in low:
        raise SignatureError("request is not signed")
    return parse_cavage(low["signature"]).key_id


@lru_cache(maxsize=1024)
def load_public_key(pem: str) -> RSAPublicKey | Ed25519PublicKey:
    """A public key from PEM; SignatureError if it is not an RSA or Ed25519 key."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise SignatureError("the actor's public key cannot be read") from exc
    if not isinstance(key, RSAPublicKey | Ed25519PublicKey):
        raise SignatureError("unsupported key type")
    return key


def _check_bytes(
    key: RSAPublicKey | Ed25519PublicKey, algorithm: str, sig: bytes, data: bytes
) -> None:
    try:
        if isinstance(key, Ed25519PublicKey):
            if algorithm not in ("ed25519", "hs2019", ""):
                raise SignatureError(f"algorithm {algorithm} does not fit an Ed25519 key")
            key.verify(sig, data)
        else:
            if algorithm not in ("rsa-sha256", "rsa-v1_5-sha256", "hs2019", ""):
                raise SignatureError(f"algorithm {algorithm} is not supported")
            key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureError("signature does not verify") from exc


def _check_time(moment: datetime, now: datetime, what: str) -> None:
    if abs(now - moment) > MAX_SKEW:
        raise SignatureError(f"{what} is outside the allowed clock skew")


def _check_digest(headers: dict[str, str], body: bytes) -> None:
    """Digest (RFC 3230) or Content-Digest (RFC 9530) must name SHA-256 and match the body."""
    expected = hashlib.sha256(body).digest()
    if "digest" in headers:
        for part in headers["digest"].split(","):
            algo, _, value = part.strip().partition("=")
            if algo.lower() == "sha-256":
                if _b64(value) != expected:
                    raise SignatureError("digest does not match the body")
                return
        raise SignatureError("digest has no SHA-256 value")
    if "content-digest" in headers:
        for part in headers["content-digest"].split(","):
            algo, _, value = part.strip().partition("=")
            if algo.lower() == "sha-256":
                if _b64(value.strip(":")) != expected:
                    raise SignatureError("content-digest does not match the body")
                return
        raise SignatureError("content-digest has no sha-256 value")
    raise SignatureError("no digest")


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""


def verify_request(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    public_key_pem: str,
    *,
    now: datetime,
    scheme: str = "https",
) -> None:
    """Check a signed request; raise SignatureError (or SignatureParseError) if it fails.

    `path` is the request path with its query string, as the sender saw it. POSTs must sign
    their digest, and the digest must match `body`.
    """
    low = _lower(headers)
    key = load_public_key(public_key_pem)
    if "signature-input" in low:
        _verify_message_signature(method, path, low, body, key, now=now, scheme=scheme)
    elif "signature" in low:
        _verify_cavage(method, path, low, body, key, now=now)
    else:
        raise SignatureError("request is not signed")


def _verify_cavage(
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    key: RSAPublicKey | Ed25519PublicKey,
    *,
    now: datetime,
) -> None:
    sig = parse_cavage(headers["signature"])
    if "(request-target)" not in sig.headers:
        raise SignatureError("(request-target) is not signed")
    if method.upper() == "POST":
        if "digest" not in sig.headers:
            raise SignatureError("digest is not signed")
        _check_digest({"digest": headers.get("digest", "")}, body)
    _check_cavage_time(sig, headers, now)
    values = dict(headers)
    if sig.created is not None:
        values["(created)"] = str(sig.created)
    if sig.expires is not None:
        values["(expires)"] = str(sig.expires)
    data = "\n".join(_signing_lines(method, path, values, sig.headers)).encode()
    _check_bytes(key, sig.algorithm, sig.signature, data)


def _check_cavage_time(sig: CavageSignature, headers: dict[str, str], now: datetime) -> None:
    if "date" in sig.headers:
        try:
            when = parsedate_to_datetime(headers.get("date", ""))
        except (TypeError, ValueError) as exc:
            raise SignatureError("date cannot be read") from exc
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        _check_time(when, now, "date")
    elif "(created)" in sig.headers and sig.created is not None:
        _check_time(datetime.fromtimestamp(sig.created, UTC), now, "(created)")
    else:
        raise SignatureError("neither date nor (created) is signed")
    if sig.expires is not None and datetime.fromtimestamp(sig.expires, UTC) < now:
        raise SignatureError("signature has expired")


# --- RFC 9421 -----------------------------------------------------------------------------

_ITEM = re.compile(r'\s*"([^"\\]*)"((?:;[a-z*][a-z0-9_.*-]*(?:=[^;\s)]*)?)*)')


def _split_members(value: str) -> list[str]:
    """Split a structured-field dictionary on top-level commas (not inside quotes or parens)."""
    members, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            members.append(value[start:i])
            start = i + 1
    members.append(value[start:])
    return [m.strip() for m in members if m.strip()]


def _params(text: str) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, _, raw = part.strip().partition("=")
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            out[name] = raw[1:-1]
        else:
            try:
                out[name] = int(raw)
            except ValueError as exc:
                raise SignatureParseError("malformed signature parameter") from exc
    return out


def parse_message_signature(headers: Mapping[str, str]) -> MessageSignature:
    """The first signature of an RFC 9421 request (Signature-Input + Signature)."""
    low = _lower(headers)
    raw_input, raw_sig = low.get("signature-input", ""), low.get("signature", "")
    if len(raw_input) > MAX_HEADER_LENGTH or len(raw_sig) > MAX_HEADER_LENGTH:
        raise SignatureParseError("signature header too long")
    members = _split_members(raw_input)
    if not members or "=" not in members[0]:
        raise SignatureParseError("malformed Signature-Input")
    label, _, params_text = members[0].partition("=")
    match = re.fullmatch(r"\(((?:\s*\"[^\"]*\"[^\s)]*)*)\s*\)(.*)", params_text.strip())
    if not match:
        raise SignatureParseError("malformed Signature-Input")
    components = tuple(m.group(1).lower() for m in _ITEM.finditer(match.group(1)))
    sigs = {}
    for member in _split_members(raw_sig):
        name, _, value = member.partition("=")
        sigs[name.strip()] = value.strip()
    value = sigs.get(label.strip(), "")
    if not (value.startswith(":") and value.endswith(":") and len(value) > 2):
        raise SignatureParseError("no signature for the label in Signature-Input")
    signature = _b64(value[1:-1])
    if not signature:
        raise SignatureParseError("signature is not base64")
    return MessageSignature(
        label=label.strip(),
        components=components,
        params=_params(match.group(2)),
        params_text=params_text.strip(),
        signature=signature,
    )


def _component(name: str, method: str, path: str, headers: dict[str, str], scheme: str) -> str:
    host = headers.get("host", "")
    split = urlsplit(path)
    derived = {
        "@method": method.upper(),
        "@target-uri": f"{scheme}://{host}{path}",
        "@authority": host.lower(),
        "@scheme": scheme,
        "@request-target": path,
        "@path": split.path,
        "@query": "?" + split.query,
    }
    if name.startswith("@"):
        if name not in derived:
            raise SignatureError(f"unsupported component {name}")
        return derived[name]
    if name not in headers:
        raise SignatureError(f"signed header {name!r} is missing")
    return headers[name].strip()


def _verify_message_signature(
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    key: RSAPublicKey | Ed25519PublicKey,
    *,
    now: datetime,
    scheme: str,
) -> None:
    sig = parse_message_signature(headers)
    covered = set(sig.components)
    if "@method" not in covered or not covered & {"@target-uri", "@path", "@request-target"}:
        raise SignatureError("the method and target are not signed")
    if method.upper() == "POST":
        if not covered & {"content-digest", "digest"}:
            raise SignatureError("digest is not signed")
        _check_digest(
            {k: headers[k] for k in ("content-digest", "digest") if k in covered and k in headers},
            body,
        )
    created = sig.params.get("created")
    if not isinstance(created, int):
        raise SignatureError("created is not given")
    _check_time(datetime.fromtimestamp(created, UTC), now, "created")
    expires = sig.params.get("expires")
    if isinstance(expires, int) and datetime.fromtimestamp(expires, UTC) < now:
        raise SignatureError("signature has expired")
    lines = [
        f'"{name}": {_component(name, method, path, headers, scheme)}' for name in sig.components
    ]
    lines.append(f'"@signature-params": {sig.params_text}')
    _check_bytes(key, str(sig.params.get("alg", "")), sig.signature, "\n".join(lines).encode())
