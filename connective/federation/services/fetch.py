"""Fetch ActivityPub objects from other servers, believing only what comes from its own id.

Everything goes through connective.core.http (SSRF guard, deadline, size cap, redirect limit).
On top of that a fetched document counts only if (SECURITY.md):

- the response is an ActivityStreams media type (T-05: an uploaded `evil.json` served as
  application/json or octet-stream is not an actor);
- it parses under jsonsafe's limits (T-18) and has no JSON-LD rewiring (T-07);
- its `id` is exactly the final URL after redirects (T-03), so a server can only speak for the
  objects it hosts. A mismatch is refused; callers never create or update a row from it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from connective.core import http
from connective.federation.context import BadShape, check_shape
from connective.federation.jsonsafe import JSONRejected, parse_json

if TYPE_CHECKING:
    from connective.accounts.models import Person

logger = logging.getLogger("connective.federation")

AP_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AP_MEDIA_TYPES = frozenset({"application/activity+json", "application/ld+json"})
MAX_OBJECT_BYTES = 2 * 1024 * 1024
TIMEOUT = 10.0  # seconds for the whole fetch; CONNECTIVE_FEDERATION_TIMEOUT overrides

FetchError = http.FetchError


class ObjectRejected(http.FetchError):
    """A response we will not take as the object asked for; str() says why, for people."""


class ObjectGone(ObjectRejected):
    """The server says the object is gone (410) or was never there (404)."""


def fetch_timeout() -> float:
    """The total deadline of one federation fetch, in seconds."""
    return float(getattr(settings, "CONNECTIVE_FEDERATION_TIMEOUT", TIMEOUT))


def insecure_peers_allowed() -> bool:
    """Plain-http peers (two-instance tests); honoured only with DEBUG or TESTING on."""
    allowed = getattr(settings, "CONNECTIVE_FEDERATION_ALLOW_HTTP", False)
    return bool(allowed) and bool(settings.DEBUG or getattr(settings, "TESTING", False))


def normalise_url(url: str) -> str:
    """An http(s) URL without fragment, lower-case scheme and host, no default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port
    if port is not None and (scheme, port) not in {("https", 443), ("http", 80)}:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def check_peer_url(url: str) -> str:
    """The URL, normalised, if it is one we may fetch an object from; ObjectRejected if not."""
    try:
        normal = normalise_url(url)
    except ValueError as exc:
        raise ObjectRejected("that is not a valid web address") from exc
    scheme = urlsplit(normal).scheme
    if scheme == "https" or (scheme == "http" and insecure_peers_allowed()):
        return normal
    raise ObjectRejected("URL not allowed: only https addresses are fetched")


def signed_fetches() -> bool:
    """Whether our GETs are signed (by the instance actor unless a person is named); on by
    default, as Mastodon does, so servers in authorized-fetch mode answer us."""
    return bool(getattr(settings, "CONNECTIVE_SIGNED_FETCH", True))


def _signed_headers(url: str, signed_by: Person | None) -> dict[str, str]:
    """Headers for an authorized fetch: a GET signed (draft-cavage: (request-target), host,
    date) with the person's key, or the instance actor's; none with signed fetches off."""
    from connective.federation.keys import ensure_keys, key_id
    from connective.federation.signatures import sign_request

    if signed_by is None:
        if not signed_fetches():
            return {}
        from connective.federation.services.groups import instance_actor

        signed_by = instance_actor()
    ensure_keys(signed_by)
    return sign_request(
        "GET", url, {"Accept": AP_ACCEPT}, None, key_id(signed_by), signed_by.private_key_pem
    )


def fetch_object(url: str, *, signed_by: Person | None = None) -> dict[str, Any]:
    """The ActivityPub object at `url`; a FetchError (ObjectRejected, URLNotAllowed…) if not."""
    doc, final_url = fetch_unverified(url, signed_by=signed_by)
    if normalise_url(str(doc.get("id"))) != normalise_url(final_url):
        raise ObjectRejected("the document's id is not the address it was fetched from")
    return doc


def fetch_unverified(url: str, *, signed_by: Person | None = None) -> tuple[dict[str, Any], str]:
    """(document, final URL) under every rule but T-03's: for finding an id to fetch from.

    Only the document's `id` may be used, and only to fetch it again from there (a profile
    page URL such as https://host/@name answers with the actor whose id is /users/name).
    """
    target = check_peer_url(url)
    fetched = http.fetch(
        target,
        accept=AP_ACCEPT,
        headers=_signed_headers(target, signed_by),
        max_bytes=MAX_OBJECT_BYTES,
        timeout=fetch_timeout(),
    )
    return document_from(fetched), fetched.url


def document_from(fetched: http.Fetched) -> dict[str, Any]:
    """Check a response's status, media type and JSON; the document (id not yet checked)."""
    if fetched.status in (404, 410):
        raise ObjectGone(f"the server says it is gone ({fetched.status})")
    if fetched.status != 200:
        raise _rejected(fetched, f"the server answered {fetched.status}")
    if fetched.content_type not in AP_MEDIA_TYPES:
        raise _rejected(
            fetched,
            f"the server sent {fetched.content_type or 'no media type'}, "
            "not an ActivityPub document",
        )
    try:
        doc = parse_json(fetched.content, max_bytes=MAX_OBJECT_BYTES)
        check_shape(doc)
    except (JSONRejected, BadShape) as exc:
        raise _rejected(fetched, f"the document is not usable: {exc.reason}") from exc
    claimed = doc.get("id")
    if not isinstance(claimed, str) or not claimed.startswith(("https://", "http://")):
        raise _rejected(fetched, "the document has no id")
    try:
        normalise_url(claimed)
    except ValueError as exc:
        raise _rejected(fetched, "the document's id is not a valid address") from exc
    return doc


def _rejected(fetched: http.Fetched, reason: str) -> ObjectRejected:
    logger.info("fetched object rejected: %s (%s)", reason, fetched.url[:200])
    return ObjectRejected(reason)
