"""Remote peers with fixed keys, and signed POSTs to our inboxes through the test client (FED-B)."""

import json
from datetime import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation.signatures import sign_request
from tests.federation.signing import pem

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def make_peer(handle: str, domain: str, key: str) -> Person:
    """A remote actor we know, with its public key, inbox and followers collection."""
    base = f"https://{domain}/users/{handle}"
    return Person.objects.create(
        handle=handle,
        domain=domain,
        uri=base,
        url=f"https://{domain}/@{handle}",
        display_name=handle.title(),
        inbox_url=f"{base}/inbox",
        shared_inbox_url=f"https://{domain}/inbox",
        followers_url=f"{base}/followers",
        public_key_pem=pem(key, "public"),
        fetched_at=timezone.now(),
    )


@pytest.fixture
def dana(db) -> Person:
    """A Mastodon-like peer at remote.example, signing with rsa-a."""
    return make_peer("dana", "remote.example", "rsa-a")


@pytest.fixture
def eve(db) -> Person:
    """Another peer, on another host, signing with rsa-b."""
    return make_peer("eve", "other.example", "rsa-b")


def signed_post(
    path: str,
    activity: dict | bytes,
    *,
    key: str = "rsa-a",
    key_id: str = "https://remote.example/users/dana#main-key",
    now: datetime | None = None,
    client: Client | None = None,
    tamper=None,
):
    """POST `activity` to `path`, signed draft-cavage style as Mastodon signs."""
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    url = settings.CONNECTIVE_SITE_URL + path
    headers = sign_request(
        "POST", url, {"Content-Type": "application/activity+json"}, body, key_id, pem(key), now=now
    )
    if tamper:
        tamper(headers)
    content_type = headers.pop("Content-Type")
    return (client or Client()).post(path, data=body, content_type=content_type, headers=headers)


def note(actor: Person, n: int = 1, **fields) -> dict:
    """A public Note by a remote actor, the way Mastodon embeds it."""
    obj = {
        "id": f"{actor.uri}/statuses/{n}",
        "type": "Note",
        "attributedTo": actor.uri,
        "content": f"<p>Note {n} from {actor.handle}</p>",
        "published": "2026-11-29T10:00:00Z",
        "to": [PUBLIC],
        "cc": [actor.followers_url],
    }
    obj.update(fields)
    return obj


def create(actor: Person, obj: dict, n: int = 1) -> dict:
    """Create{obj} by actor."""
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.uri}/statuses/{n}/activity",
        "type": "Create",
        "actor": actor.uri,
        "object": obj,
        "to": obj.get("to", []),
        "cc": obj.get("cc", []),
    }


def act(actor: Person, kind: str, obj, n: str = "1", **extra) -> dict:
    """Any activity by actor."""
    doc = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.uri}#{kind.lower()}-{n}",
        "type": kind,
        "actor": actor.uri,
        "object": obj,
    }
    doc.update(extra)
    return doc
