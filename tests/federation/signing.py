"""Fixed key pairs and signing helpers for the federation tests (FED-B)."""

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.hashes import SHA256

from connective.federation.signatures import http_date

KEYS = Path(__file__).parent / "fixtures" / "keys"
# The frozen clock every signature test runs at.
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def pem(name: str, part: str = "private") -> str:
    """A fixed PEM from fixtures/keys (rsa-a, rsa-b, ed25519)."""
    return (KEYS / f"{name}.{part}.pem").read_text()


def sign_rfc9421(
    method: str,
    url: str,
    body: bytes,
    key_id: str,
    key_name: str = "rsa-a",
    *,
    now: datetime = NOW,
    components: tuple[str, ...] = ("@method", "@target-uri", "content-digest", "date"),
    alg: str | None = None,
) -> dict[str, str]:
    """Headers for an RFC 9421 signed request, as a test peer would send them."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    headers = {
        "Host": parts.netloc,
        "Date": http_date(now),
        "Content-Digest": "sha-256=:"
        + base64.b64encode(hashlib.sha256(body).digest()).decode()
        + ":",
    }
    key = serialization.load_pem_private_key(pem(key_name).encode(), password=None)
    alg = alg or ("ed25519" if isinstance(key, Ed25519PrivateKey) else "rsa-v1_5-sha256")
    inner = " ".join(f'"{c}"' for c in components)
    params = f'({inner});created={int(now.timestamp())};keyid="{key_id}";alg="{alg}"'
    low = {k.lower(): v for k, v in headers.items()}
    values = {
        "@method": method.upper(),
        "@target-uri": url,
        "@authority": parts.netloc,
        "@path": parts.path,
    }
    lines = [f'"{c}": {values[c] if c.startswith("@") else low[c]}' for c in components]
    lines.append(f'"@signature-params": {params}')
    data = "\n".join(lines).encode()
    if isinstance(key, RSAPrivateKey):
        sig = key.sign(data, padding.PKCS1v15(), SHA256())
    else:
        sig = key.sign(data)  # type: ignore[union-attr, call-arg]
    headers["Signature-Input"] = f"sig1={params}"
    headers["Signature"] = f"sig1=:{base64.b64encode(sig).decode()}:"
    return headers
