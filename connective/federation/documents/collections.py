"""Ordered collections: a person's outbox, followers and following."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.pagination import Page, paginate
from connective.core.uris import absolute_uri
from connective.federation.context import AS_CONTEXT, PUBLIC
from connective.network.models import Connection

OUTBOX_PAGE_SIZE = 20


def ordered_collection(collection_id: str, total: int, first: str | None = None) -> dict[str, Any]:
    """An OrderedCollection that says how many items it has (and where its first page is)."""
    doc: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first:
        doc["first"] = first
    return doc


def public_posts(person: Person):
    """What anyone may see of the person's posts: the outbox's content."""
    return Post.objects.visible_to(None).filter(author_id=person.pk)


def post_uri(post: Post) -> str:
    """The canonical URI of a post."""
    return post.uri or absolute_uri(post.get_absolute_url())


def outbox(person: Person, outbox_id: str) -> dict[str, Any]:
    """The outbox collection: a count and a link to its first page."""
    return ordered_collection(
        outbox_id, public_posts(person).count(), first=f"{outbox_id}?page=true"
    )


def outbox_page(person: Person, outbox_id: str, cursor: str | None) -> dict[str, Any]:
    """One page of the outbox, newest first; BadCursor for a cursor we did not make."""
    page: Page = paginate(public_posts(person), cursor, size=OUTBOX_PAGE_SIZE)
    query = {"page": "true", **({"cursor": cursor} if cursor else {})}
    doc: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": f"{outbox_id}?{urlencode(query)}",
        "type": "OrderedCollectionPage",
        "partOf": outbox_id,
        "orderedItems": [_create(person, post) for post in page.items],
    }
    if page.next_cursor:
        doc["next"] = f"{outbox_id}?{urlencode({'page': 'true', 'cursor': page.next_cursor})}"
    return doc


def _create(person: Person, post: Post) -> dict[str, Any]:
    """The Create activity for a post: the object in full if the content app maps it."""
    uri = post_uri(post)
    mapper = _post_mapper()
    obj: Any = mapper(post) if mapper is not None else uri
    addressed = obj if isinstance(obj, dict) else {}
    return {
        "id": f"{uri}#create",
        "type": "Create",
        "actor": person.uri,
        "published": post.created_at.isoformat().replace("+00:00", "Z"),
        "to": addressed.get("to", [PUBLIC]),
        "cc": addressed.get("cc", []),
        "object": obj,
    }


def _post_mapper() -> Callable[[Post], Any] | None:
    """content.federation.post_to_ap when the content app has it; outbox lists ids until then."""
    try:
        module = importlib.import_module("connective.content.federation")
    except ImportError:
        return None
    return getattr(module, "post_to_ap", None)


def follower_count(person: Person) -> int:
    """People with an active connection to the person."""
    return Connection.objects.active().filter(target_id=person.pk).count()


def following_count(person: Person) -> int:
    """People the person has an active connection to."""
    return Connection.objects.active().filter(owner_id=person.pk).count()
