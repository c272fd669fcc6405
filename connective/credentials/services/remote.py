"""Keys and revocation of other issuers' credentials, fetched through the guarded HTTP client.

Trust rule: a key counts for an issuer only if the issuer's own documents publish it — the
issuer Profile at the issuer's id (its `verificationMethod` or its `jwks_uri`), or the document the
token's `kid` names on the issuer's own origin. A header's `jwk` alone proves nothing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urldefrag, urlsplit

import jwt
from django.conf import settings

from connective.core.http import FetchError, fetch

#: Issuer documents are small; a status list is at most a few hundred kilobytes.
MAX_DOCUMENT_BYTES = 256 * 1024
MAX_STATUS_BYTES = 1024 * 1024
TIMEOUT = 5.0
_PUBLIC_MEMBERS = ("kty", "crv", "x", "y", "n", "e")
#: Asymmetric keys only: a shared-secret ("oct") key would let anyone who read it sign.
SIGNING_KEY_TYPES = frozenset({"OKP", "EC", "RSA"})


class RemoteKeyError(Exception):
    """The issuer's key could not be found or fetched."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_issuer(issuer: object) -> bool:
    """Whether we may fetch this issuer's documents: an https URL (http only in tests and DEBUG)."""
    if not isinstance(issuer, str) or len(issuer) > 500:
        return False
    schemes = ("https",) if not _relaxed() else ("https", "http")
    parts = urlsplit(issuer)
    return parts.scheme in schemes and bool(parts.hostname) and not parts.username


def _relaxed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))


def fetch_json(url: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """A JSON document from the issuer's site, or RemoteKeyError."""
    try:
        response = fetch(url, accept="application/json", max_bytes=max_bytes, timeout=TIMEOUT)
    except FetchError as error:
        raise RemoteKeyError(str(error)) from error
    if response.status != 200:
        raise RemoteKeyError(f"{url} answered {response.status}")
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError) as error:
        raise RemoteKeyError(f"{url} is not JSON") from error


def download(url: str) -> bytes:
    """Bytes of a status list, for openbadgeslib's status check (it raises on any error)."""
    response = fetch(url, max_bytes=MAX_STATUS_BYTES, timeout=TIMEOUT)
    if response.status != 200:
        raise FetchError(f"{url} answered {response.status}")
    return response.content


def _published_keys(document: Any) -> list[tuple[str, dict[str, Any]]]:
    """(key id, public JWK) pairs an issuer document or JWKS publishes."""
    if not isinstance(document, dict):
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    methods = document.get("verificationMethod")
    for method in methods if isinstance(methods, list) else []:
        if isinstance(method, dict) and isinstance(method.get("publicKeyJwk"), dict):
            found.append((str(method.get("id", "")), method["publicKeyJwk"]))
    keys = document.get("keys")
    for key in keys if isinstance(keys, list) else []:
        if isinstance(key, dict):
            found.append((str(key.get("kid", "")), key))
    if "kty" in document:
        found.append((str(document.get("kid", "")), document))
    return found


def _same_key(a: dict[str, Any], b: Any) -> bool:
    return isinstance(b, dict) and all(a.get(m) == b.get(m) for m in _PUBLIC_MEMBERS)


def issuer_key(issuer: str, header: dict[str, Any]) -> jwt.PyJWK:
    """The public key, published by `issuer` itself, that the token header names."""
    kid = header.get("kid")
    urls = [issuer]
    if isinstance(kid, str) and kid.startswith(("https://", "http://")):
        document_url = urldefrag(kid).url
        if _origin(document_url) == _origin(issuer) and document_url != issuer:
            urls.append(document_url)
    candidates: list[tuple[str, dict[str, Any]]] = []
    for url in urls:
        document = fetch_json(url)
        candidates += _published_keys(document)
        jwks_uri = document.get("jwks_uri") if isinstance(document, dict) else None
        if isinstance(jwks_uri, str) and _origin(jwks_uri) == _origin(issuer):
            candidates += _published_keys(fetch_json(jwks_uri))
    for key_id, jwk in candidates:
        matches_kid = isinstance(kid, str) and kid and key_id in {kid, urldefrag(kid).fragment}
        if matches_kid or _same_key(jwk, header.get("jwk")):
            if jwk.get("kty") not in SIGNING_KEY_TYPES:
                raise RemoteKeyError("the published key is not a public signing key")
            public = {k: v for k, v in jwk.items() if k != "d"}
            try:
                return jwt.PyJWK(public)
            except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError) as error:
                raise RemoteKeyError("the published key is unusable") from error
    raise RemoteKeyError("the issuer does not publish this key")


def verified_status_lists(issuer: str, urls: list[str]) -> dict[str, bytes]:
    """Each status list, fetched and checked to be signed by a key `issuer` publishes.

    Checked here rather than by openbadgeslib, which would demand the credential's own key: after
    a rotation the list is signed with the issuer's newer key.
    """
    lists: dict[str, bytes] = {}
    for url in urls:
        try:
            raw = download(url)
        except FetchError as error:
            raise RemoteKeyError(f"the status list could not be fetched ({error})") from error
        token = raw.decode("utf-8", "replace").strip()
        try:
            key = issuer_key(issuer, jwt.get_unverified_header(token))
            claims = jwt.decode(token, key, algorithms=[key.algorithm_name])
        except (jwt.InvalidTokenError, ValueError, RecursionError, TypeError) as error:
            raise RemoteKeyError("the status list is not signed by the issuer") from error
        list_issuer = claims.get("issuer") if isinstance(claims, dict) else None
        if isinstance(list_issuer, dict):
            list_issuer = list_issuer.get("id")
        if list_issuer != issuer:
            raise RemoteKeyError("the status list belongs to another issuer")
        lists[url] = raw
    return lists
