"""The ActivityPub actor document of a local person (`person_to_ap`)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from connective.accounts.models import Person
from connective.core.uris import absolute_uri
from connective.federation.context import ap_context
from connective.federation.keys import ensure_keys, key_id


def route(name: str, **kwargs: str) -> str:
    """The absolute URL of one of our federation routes."""
    return absolute_uri(reverse(name, kwargs=kwargs or None))


def inbox_urls(person: Person) -> tuple[str, str]:
    """The person's inbox and the shared inbox (FED-B's routes, referred to by name)."""
    try:
        return (
            route("federation:inbox", handle=person.handle),
            route("federation:shared_inbox"),
        )
    except NoReverseMatch:  # the inbox routes are not installed (yet): the conventional paths
        return absolute_uri(f"/@{person.handle}/inbox/"), absolute_uri("/inbox/")


def _topics(queryset: Any) -> list[dict[str, str]]:
    """Topics as ActivityStreams Hashtag objects, linked to their topic pages."""
    return [
        {
            "type": "Hashtag",
            "name": f"#{topic.name}",
            "href": absolute_uri(topic.get_absolute_url()),
        }
        for topic in queryset.all()
    ]


def _icon(person: Person) -> dict[str, str] | None:
    """The avatar as an Image, if the person has one."""
    if not person.avatar:
        return None
    url = person.avatar.url
    return {"type": "Image", "url": absolute_uri(url) if url.startswith("/") else url}


def person_to_ap(person: Person) -> dict[str, Any]:
    """The actor document of a local person; never contains the private key."""
    ensure_keys(person)
    inbox, shared_inbox = inbox_urls(person)
    handle = person.handle
    doc: dict[str, Any] = {
        "@context": ap_context(),
        "id": person.uri,
        "type": "Person",
        "preferredUsername": handle,
        "name": person.display_name or handle,
        "summary": person.bio_html,
        "url": absolute_uri(person.get_absolute_url()),
        "inbox": inbox,
        "outbox": route("federation:outbox", handle=handle),
        "followers": route("federation:followers", handle=handle),
        "following": route("federation:following", handle=handle),
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": {
            "id": key_id(person),
            "owner": person.uri,
            "publicKeyPem": person.public_key_pem,
        },
        "manuallyApprovesFollowers": person.requires_approval,
        "discoverable": person.discoverable,
        "indexable": person.discoverable,
        "published": person.created_at.isoformat().replace("+00:00", "Z"),
        "alsoKnownAs": list(person.also_known_as or []),
        "interests": _topics(person.interests),
        "expertise": _topics(person.expertise),
        "tag": [],
        "attachment": _links(person),
    }
    doc["tag"] = doc["interests"] + [t for t in doc["expertise"] if t not in doc["interests"]]
    icon = _icon(person)
    if icon:
        doc["icon"] = icon
    if person.moved_to_id and person.moved_to is not None:
        doc["movedTo"] = person.moved_to.uri
    return doc


def _links(person: Person) -> list[dict[str, str]]:
    """The person's other places as Mastodon-style profile fields (PropertyValue)."""
    fields = []
    for link in person.links.all()[:8]:
        label = link.label or link.get_kind_display()
        fields.append({"type": "PropertyValue", "name": label, "value": _link_html(link.url)})
    return fields


def _link_html(url: str) -> str:
    """A link as the HTML Mastodon shows (and checks for rel=me)."""
    from django.utils.html import format_html

    return format_html('<a href="{}" rel="me nofollow noopener noreferrer">{}</a>', url, url)


def tombstone(person: Person) -> dict[str, Any]:
    """What a suspended person's actor URL answers (with 410 Gone)."""
    return {
        "@context": ap_context(),
        "id": person.uri,
        "type": "Tombstone",
        "formerType": "Person",
    }
