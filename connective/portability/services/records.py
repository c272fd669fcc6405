"""Rows as archive records: plain dicts of JSON types, one function per kind of row."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import reverse

from connective.accounts.models import Person
from connective.content.licences import licence_for
from connective.content.models import Boost, Post
from connective.core.uris import absolute_uri
from connective.network.models import Connection


def _when(value) -> str | None:
    return value.isoformat() if value else None


@lru_cache(maxsize=1)
def _profile_pattern() -> str:
    """The profile path with a stand-in handle: reversed once, not once per person."""
    return reverse("web:profile", kwargs={"handle": "HANDLE_"})


def profile_url(person: Person) -> str:
    """The person's profile page: theirs for remote people, ours otherwise."""
    if person.url:
        return person.url
    return absolute_uri(_profile_pattern().replace("HANDLE_", person.path_handle))


def person_record(person: Person) -> dict[str, Any]:
    """Every address we know for a person, so another server can find them again."""
    links = [
        {"kind": link.kind, "url": link.url, "label": link.label} for link in person.links.all()
    ]
    return {
        "name": person.name,
        "handle": person.handle,
        "acct": person.acct,
        "uri": person.uri,
        "url": profile_url(person),
        "inbox": person.inbox_url,
        "links": links,
        "feeds": [link["url"] for link in links if link["kind"] == "feed"],
        "also_known_as": list(person.also_known_as or []),
        "moved_to": person.moved_to.uri if person.moved_to_id and person.moved_to else None,
    }


def connection_record(conn: Connection) -> dict[str, Any]:
    """A connection with its whole purpose, including the private note (it is the owner's)."""
    return {
        "person": person_record(conn.target),
        "direction": conn.direction,
        "topics": [topic.name for topic in conn.topics.all()],
        "met_where": conn.met_where,
        "met_url": conn.met_url,
        "note": conn.note,
        "status": conn.status,
        "created_at": _when(conn.created_at),
        "accepted_at": _when(conn.accepted_at),
        "last_interaction_at": _when(conn.last_interaction_at),
    }


def follower_record(conn: Connection) -> dict[str, Any]:
    """Someone connected to me: who, and the public part of why (never their private note)."""
    return {
        "person": person_record(conn.owner),
        "direction": conn.direction,
        "topics": [topic.name for topic in conn.topics.all()],
        "status": conn.status,
        "created_at": _when(conn.created_at),
    }


def file_member(post: Post) -> str | None:
    """Where a post's uploaded file sits in the archive."""
    return f"files/{post.pk}/{post.file_name or 'file'}" if post.file else None


def post_record(post: Post) -> dict[str, Any]:
    """A post as written (Markdown, not HTML), with its licence, audience, topics and dates."""
    lic = licence_for(post.licence)
    return {
        "id": post.uri or absolute_uri(post.get_absolute_url()),
        "imported_from": post.imported_from or None,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "link_url": post.link_url,
        "licence": {"code": lic.code, "name": lic.name, "url": lic.url} if lic else None,
        "visibility": post.visibility,
        "state": post.state,
        "publish_at": _when(post.publish_at),
        "topics": [topic.name for topic in post.topics.all()],
        "in_reply_to": post.in_reply_to.uri if post.in_reply_to_id and post.in_reply_to else None,
        "space": post.space.uri if post.space_id and post.space else None,
        "file": file_member(post),
        "file_name": post.file_name,
        "created_at": _when(post.created_at),
        "edited_at": _when(post.edited_at),
    }


def profile_record(person: Person) -> dict[str, Any]:
    """My own profile: who I am, what I learn and can help with, my places and my privacy."""
    record = person_record(person)
    record.update(
        {
            "display_name": person.display_name,
            "bio": person.bio,
            "interests": [topic.name for topic in person.interests.all()],
            "expertise": [topic.name for topic in person.expertise.all()],
            "requires_approval": person.requires_approval,
            "discoverable": person.discoverable,
            "avatar": "files/avatar" + _suffix(person.avatar.name or "") if person.avatar else None,
            "created_at": _when(person.created_at),
        }
    )
    return record


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower()[:6] if dot > name.rfind("/") else ""


def boost_record(boost: Boost) -> dict[str, Any]:
    """A boost: the post's address (and where my own post first came from), and when."""
    return {
        "id": boost.uri,
        "post": boost.post.uri,
        "post_imported_from": boost.post.imported_from or None,
        "created_at": _when(boost.created_at),
    }
