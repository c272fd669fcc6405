"""Actor documents of spaces and courses (Group, FEP-1b12) and of the instance (Application)."""

from __future__ import annotations

from typing import Any

from connective.accounts.models import Person
from connective.core.uris import absolute_uri, site_host
from connective.courses.models import Course
from connective.federation.context import ap_context
from connective.federation.documents.actor import inbox_urls
from connective.federation.keys import ensure_keys, key_id
from connective.federation.services.groups import COURSE_PREFIX
from connective.spaces.models import Space


def preferred_username(group: Space | Course) -> str:
    """The name other servers show: a space's slug, `course.<slug>` for a course."""
    if isinstance(group, Course):
        return f"{COURSE_PREFIX}{group.slug}"
    return group.slug


def _hashtags(group: Space | Course) -> list[dict[str, str]]:
    return [
        {"type": "Hashtag", "name": f"#{t.name}", "href": absolute_uri(t.get_absolute_url())}
        for t in group.topics.all()
    ]


def _public_key(actor: Person) -> dict[str, str]:
    ensure_keys(actor)
    return {"id": key_id(actor), "owner": actor.uri, "publicKeyPem": actor.public_key_pem}


def group_to_ap(group: Space | Course, actor: Person) -> dict[str, Any]:
    """The Group document of an open space or a published course; no private key in it."""
    base = actor.uri.rstrip("/")
    _, shared_inbox = inbox_urls(actor)
    if isinstance(group, Course):
        name, summary = group.title, group.summary_html
        published = group.published_at or group.created_at
    else:
        name, summary, published = group.name, group.description_html, group.created_at
    doc: dict[str, Any] = {
        "@context": ap_context(),
        "id": actor.uri,
        "type": "Group",
        "preferredUsername": preferred_username(group),
        "name": name,
        "summary": summary,
        "url": absolute_uri(group.get_absolute_url()),
        "inbox": shared_inbox,
        "outbox": f"{base}/outbox",
        "followers": f"{base}/followers",
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": _public_key(actor),
        # A members-only space takes no followers from elsewhere (a Follow gets a Reject).
        "manuallyApprovesFollowers": isinstance(group, Space) and group.members_only,
        "discoverable": True,
        "published": published.isoformat().replace("+00:00", "Z"),
        "postingRestrictedToMods": False,
        "tag": _hashtags(group),
    }
    return doc


def group_tombstone(uri: str) -> dict[str, Any]:
    """What a deleted space's or course's address answers (with 410 Gone)."""
    return {"@context": ap_context(), "id": uri, "type": "Tombstone", "formerType": "Group"}


def instance_to_ap(actor: Person) -> dict[str, Any]:
    """The instance actor (Application), as Mastodon publishes its own: it signs our fetches."""
    _, shared_inbox = inbox_urls(actor)
    return {
        "@context": ap_context(),
        "id": actor.uri,
        "type": "Application",
        "preferredUsername": instance_name(),
        "name": site_host(),
        "summary": "This server's own actor: it signs the requests the server makes itself.",
        "url": absolute_uri("/"),
        "inbox": shared_inbox,
        "outbox": f"{actor.uri}/outbox",
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": _public_key(actor),
        "manuallyApprovesFollowers": True,
        "discoverable": False,
        "indexable": False,
    }


def group_jrd(group: Space | Course, actor: Person) -> dict[str, Any]:
    """The WebFinger answer for a space or course."""
    page = absolute_uri(group.get_absolute_url())
    return {
        "subject": f"acct:{preferred_username(group)}@{site_host()}",
        "aliases": [actor.uri],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.uri},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": page},
        ],
    }


def instance_name() -> str:
    """The instance actor's name: the host name without a port (a handle holds no colon)."""
    return site_host().partition(":")[0]


def instance_jrd(actor: Person) -> dict[str, Any]:
    """The WebFinger answer for `acct:<host>@<host>` (the instance actor, as Mastodon has it)."""
    return {
        "subject": f"acct:{instance_name()}@{site_host()}",
        "aliases": [actor.uri],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.uri},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": absolute_uri("/"),
            },
        ],
    }
