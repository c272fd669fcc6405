"""Spread the demo over eighteen months: give every object the date the loader chose for it.

The services stamp everything "now"; the demo needs a history (dormant ties, old posts,
notifications that arrived over time), so the dates are set afterwards in bulk updates.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from connective.accounts.models import Person, User
from connective.content.models import Post, Useful
from connective.demo.services.catalog import LEARNER
from connective.demo.services.state import Demo
from connective.network.models import Connection
from connective.notifications.models import Notification

BATCH = 200
UNREAD_FOR_LEARNER = 6


def apply_dates(demo: Demo, started: datetime) -> None:
    """Date people, connections, posts, useful marks and notifications; read most of them."""
    _people(demo)
    ties = _connections(demo)
    _posts(demo)
    _useful(demo)
    _notifications(demo, started, ties)


def _people(demo: Demo) -> None:
    people = [p for p in demo.people.values() if p.pk in demo.dates.people]
    users = []
    for person in people:
        person.created_at = demo.dates.people[person.pk]
        if person.user is not None:
            person.user.date_joined = person.created_at
            users.append(person.user)
    Person.objects.bulk_update(people, ["created_at"], batch_size=BATCH)
    User.objects.bulk_update(users, ["date_joined"], batch_size=BATCH)


def _connections(demo: Demo) -> list[Connection]:
    rows = list(Connection.objects.filter(pk__in=list(demo.dates.connections)))
    for conn in rows:
        created, accepted, last = demo.dates.connections[conn.pk]
        conn.created_at, conn.accepted_at, conn.last_interaction_at = created, accepted, last
    Connection.objects.bulk_update(
        rows, ["created_at", "accepted_at", "last_interaction_at"], batch_size=BATCH
    )
    return rows


def _posts(demo: Demo) -> None:
    rows = list(Post.objects.filter(pk__in=list(demo.dates.posts)).only("pk"))
    for post in rows:
        post.created_at = post.updated_at = demo.dates.posts[post.pk]
    Post.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=BATCH)


def _useful(demo: Demo) -> None:
    post_ids = sorted({post_id for _, post_id in demo.dates.useful})
    rows = [
        mark
        for mark in Useful.objects.filter(post_id__in=post_ids)
        if (mark.person_id, mark.post_id) in demo.dates.useful
    ]
    for mark in rows:
        mark.created_at = demo.dates.useful[(mark.person_id, mark.post_id)]
    Useful.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)


def _notifications(demo: Demo, started: datetime, ties: list[Connection]) -> None:
    """Each notification dated by what it is about; all read but the learner's newest few."""
    ids = [p.pk for p in demo.people.values()]
    rows = list(Notification.objects.filter(recipient_id__in=ids, created_at__gte=started))
    when = _Moments(demo, ties)
    for note in rows:
        note.created_at = when(note) or note.created_at
    learner = demo.people.get(LEARNER)
    fresh = sorted(
        (n for n in rows if learner is not None and n.recipient_id == learner.pk),
        key=lambda n: (n.created_at, n.pk),
        reverse=True,
    )[:UNREAD_FOR_LEARNER]
    unread = {n.pk for n in fresh}
    for note in rows:
        opened = note.created_at + timedelta(hours=demo.rng.uniform(0.5, 30))
        note.read_at = None if note.pk in unread else min(opened, demo.now)
    Notification.objects.bulk_update(rows, ["created_at", "read_at"], batch_size=BATCH)


class _Moments:
    """When the thing a notification is about happened, read from its object key."""

    def __init__(self, demo: Demo, ties: list[Connection]) -> None:
        self.demo = demo
        self.by_pair = {(c.owner_id, c.target_id): c.created_at for c in ties}
        self.accepted = {c.pk: c.accepted_at for c in ties}

    def __call__(self, note: Notification) -> datetime | None:
        prefix, _, raw = note.object_key.partition(":")
        if not raw.isdigit():
            return None
        number = int(raw)
        if prefix == "connection":
            return self.by_pair.get((number, note.recipient_id))
        if prefix == "accepted":
            return self.accepted.get(number)
        if prefix == "post":
            return self.demo.dates.posts.get(number)
        if prefix == "useful" and note.actor_id is not None:
            return self.demo.dates.useful.get((note.actor_id, number))
        return None
