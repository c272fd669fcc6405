"""Announcements from a lower layer to the apps above it, as an explicit list of subscribers.

A lower app (content, network, accounts) may not import the apps built on it (search, courses,
federation), yet those must act when a post is published or a connection is made. The lower app's
service calls `announce(...)`; each higher app subscribes its own service functions in its
`AppConfig.ready()`. Unlike Django signals nothing fires from `save()`: only services announce,
synchronously, inside their transaction, so a subscriber's rows (index entries, deliveries,
evidence) commit or roll back with the change that caused them. Tests run subscribers for real.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

# The events services announce, and what each passes to its subscribers.
POST_PUBLISHED = "post.published"  # post: a Post that has just become visible to its audience
POSTS_IMPORTED = "posts.imported"  # posts: posts brought from an archive (not news: no delivery)
FEED_ITEMS_STORED = "feed_items.stored"  # items (just inserted), feed: a poll's new items
FEED_ITEM_CHANGED = "feed_item.changed"  # item: a feeds.FeedItem whose content changed
POST_EDITED = "post.edited"  # post: a published Post whose text, topics or audience changed
POST_DELETED = "post.deleted"  # post: a Post just marked deleted (its row stays as a tombstone)
USEFUL_ADDED = "useful.added"  # useful: a Useful mark
USEFUL_REMOVED = "useful.removed"  # person, post
CONNECTION_MADE = "connection.made"  # connection: a new Connection (pending or active)
CONNECTION_ACCEPTED = "connection.accepted"  # connection: a pending Connection now active
CONNECTION_REMOVED = "connection.removed"  # connection: a Connection about to be deleted
CONNECTION_DECLINED = "connection.declined"  # connection: a pending Connection about to be deleted
PERSON_CREATED = "person.created"  # person: a new Person, local or remote
PERSON_UPDATED = "person.updated"  # person: a Person whose public profile changed
PERSON_DELETED = "person.deleted"  # person: a Person (local or remote) whose account was deleted
PERSON_MOVED = "person.moved"  # person: a local Person who moved to person.moved_to
SPACE_CHANGED = "space.changed"  # space: a Space created or changed (name, description, topics)
SPACE_DELETED = "space.deleted"  # space: a Space about to be deleted
COURSE_CHANGED = "course.changed"  # course: a Course created, published or changed
COURSE_DELETED = "course.deleted"  # course: a Course about to be deleted
BLOCK_MADE = "block.made"  # block: a new Block
POST_BOOSTED = "post.boosted"  # boost: a new content.Boost (a person shared a post)
POST_UNBOOSTED = "post.unboosted"  # boost: a content.Boost about to be deleted

EVENTS = frozenset(
    {
        POST_PUBLISHED,
        POSTS_IMPORTED,
        FEED_ITEMS_STORED,
        FEED_ITEM_CHANGED,
        POST_EDITED,
        POST_DELETED,
        USEFUL_ADDED,
        USEFUL_REMOVED,
        CONNECTION_MADE,
        CONNECTION_ACCEPTED,
        CONNECTION_REMOVED,
        CONNECTION_DECLINED,
        PERSON_CREATED,
        PERSON_UPDATED,
        PERSON_DELETED,
        PERSON_MOVED,
        SPACE_CHANGED,
        SPACE_DELETED,
        COURSE_CHANGED,
        COURSE_DELETED,
        BLOCK_MADE,
        POST_BOOSTED,
        POST_UNBOOSTED,
    }
)

Subscriber = Callable[..., None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


class UnknownEvent(Exception):
    """An event name that is not in EVENTS (a typo would otherwise fail silently)."""


def subscribe(event: str, subscriber: Subscriber) -> None:
    """Call `subscriber(**payload)` whenever `event` is announced (idempotent per function)."""
    if event not in EVENTS:
        raise UnknownEvent(event)
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)


def announce(event: str, **payload: Any) -> None:
    """Run every subscriber of `event`, in subscription order; their errors propagate."""
    if event not in EVENTS:
        raise UnknownEvent(event)
    for subscriber in list(_subscribers[event]):
        subscriber(**payload)


def subscribers(event: str) -> list[Subscriber]:
    """The functions subscribed to `event` (for tests and the architecture docs)."""
    return list(_subscribers[event])
