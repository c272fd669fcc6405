"""Read another server's actor document into the fields of a remote Person.

Pure: no database, no network. Everything is checked and capped here, whatever software sent
it (Mastodon, Pleroma/Akkoma, Misskey, GoToSocial, PeerTube, Lemmy, WordPress…); the bio is
sanitised with the one sanitiser (T-22). A document that is not a usable actor raises BadActor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from connective.core.html import sanitize_html
from connective.core.uris import is_web_url

ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})
HANDLE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$")
MAX_URL = 500
MAX_NAME = 100
MAX_SUMMARY = 20_000
MAX_KEY_PEM = 10_000
MAX_ALIASES = 10
MAX_TOPICS = 20


class BadActor(Exception):
    """A document that is not an actor we can record; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class RemoteActor:
    """What we keep of a remote actor."""

    uri: str
    handle: str
    domain: str
    actor_type: str
    inbox_url: str
    shared_inbox_url: str = ""
    outbox_url: str = ""
    followers_url: str = ""
    following_url: str = ""
    url: str = ""
    display_name: str = ""
    bio_html: str = ""
    public_key_pem: str = ""
    requires_approval: bool = False
    discoverable: bool = False
    also_known_as: list[str] = field(default_factory=list)
    moved_to: str = ""
    icon_url: str = ""
    interests: list[str] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)


def domain_of(uri: str) -> str:
    """The host part we record for a remote actor: host name, plus the port if not default."""
    parts = urlsplit(uri)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.port and (parts.scheme, parts.port) not in {("https", 443), ("http", 80)}:
        return f"{host}:{parts.port}"
    return host


def _url(value: Any) -> str:
    """A web URL from a string or a Link/Image object (or list of them); '' if none is usable."""
    if isinstance(value, list):
        for item in value[:5]:
            found = _url(item)
            if found:
                return found
        return ""
    if isinstance(value, dict):
        value = value.get("href") or value.get("url") or value.get("id")
        return _url(value) if not isinstance(value, dict) else ""
    if isinstance(value, str) and len(value) <= MAX_URL and is_web_url(value):
        return value
    return ""


def _text(value: Any, limit: int) -> str:
    """A one-line piece of text: no control or bidi-override characters, capped."""
    if not isinstance(value, str):
        return ""
    cleaned = "".join(ch for ch in value if unicodedata.category(ch) not in {"Cc", "Cf"})
    return " ".join(cleaned.split())[:limit]


def _public_key(doc: dict[str, Any], uri: str) -> str:
    """The PEM of the key the actor owns (Mastodon sends one object, some send a list)."""
    keys = doc.get("publicKey")
    for key in keys if isinstance(keys, list) else [keys]:
        if not isinstance(key, dict):
            continue
        pem = key.get("publicKeyPem")
        owner = key.get("owner", uri)
        if isinstance(pem, str) and owner == uri and len(pem) <= MAX_KEY_PEM:
            key_id = key.get("id")
            if isinstance(key_id, str) and domain_of(key_id) != domain_of(uri):
                continue
            return pem.strip()
    return ""


def _hashtags(value: Any) -> list[str]:
    """Topic labels from our interests/expertise extension (Hashtag objects or strings)."""
    labels = []
    for item in value if isinstance(value, list) else []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip("#").strip():
            labels.append(_text(name.lstrip("#"), 64))
    return labels[:MAX_TOPICS]


def _aliases(value: Any) -> list[str]:
    """alsoKnownAs: actor URIs only."""
    items = value if isinstance(value, list) else [value]
    return [url for url in (_url(item) for item in items[:MAX_ALIASES]) if url]


def _endpoints(doc: dict[str, Any]) -> str:
    endpoints = doc.get("endpoints")
    return _url(endpoints.get("sharedInbox")) if isinstance(endpoints, dict) else ""


def _identity(doc: dict[str, Any]) -> tuple[str, str, str]:
    """(uri, handle, type) — the parts without which there is no actor."""
    kind = doc.get("type")
    if isinstance(kind, list):  # e.g. ["Person", "schema:Person"]
        kind = next((k for k in kind if k in ACTOR_TYPES), None)
    if kind not in ACTOR_TYPES:
        raise BadActor(f"the document is a {str(kind)[:40]!r}, not a person or group")
    uri = _url(doc.get("id"))
    if not uri:
        raise BadActor("the actor has no usable id")
    handle = doc.get("preferredUsername")
    if not isinstance(handle, str) or not HANDLE.match(handle):
        raise BadActor("the actor has no usable preferredUsername")
    return uri, handle, str(kind)


def actor_from_ap(doc: dict[str, Any]) -> RemoteActor:
    """The fields of a remote Person from an actor document (already checked by fetch)."""
    uri, handle, kind = _identity(doc)
    inbox = _url(doc.get("inbox"))
    if not inbox:
        raise BadActor("the actor has no inbox")
    summary = doc.get("summary")
    moved_to = _url(doc.get("movedTo"))
    return RemoteActor(
        uri=uri,
        handle=handle,
        domain=domain_of(uri),
        actor_type=kind,
        inbox_url=inbox,
        shared_inbox_url=_endpoints(doc),
        outbox_url=_url(doc.get("outbox")),
        followers_url=_url(doc.get("followers")),
        following_url=_url(doc.get("following")),
        url=_url(doc.get("url")) or uri,
        display_name=_text(doc.get("name"), MAX_NAME),
        bio_html=sanitize_html(summary[:MAX_SUMMARY]) if isinstance(summary, str) else "",
        public_key_pem=_public_key(doc, uri),
        requires_approval=doc.get("manuallyApprovesFollowers") is True,
        discoverable=doc.get("discoverable") is True,
        also_known_as=_aliases(doc.get("alsoKnownAs")),
        moved_to="" if moved_to == uri else moved_to,
        icon_url=_url(doc.get("icon")),
        interests=_hashtags(doc.get("interests")),
        expertise=_hashtags(doc.get("expertise")),
    )
