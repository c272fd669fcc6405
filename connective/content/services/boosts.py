"""Boost a post (share it with my network, an Announce on the wire), or take the boost back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Boost, Post, State
from connective.content.models.boost import BOOSTABLE
from connective.core import events
from connective.network.services.connections import record_interaction
from connective.network.services.relations import wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify

FEED_ACTOR = "Feed"
NOT_SEEN = "That post does not exist or you cannot see it."
NOT_BOOSTABLE = "Only public and unlisted posts can be boosted."


class BoostError(Exception):
    """The boost cannot be made (the post is hidden, not open to all, or in a space)."""


def can_boost(post: Post) -> bool:
    """Whether a post is of the kind anyone who sees it may boost (no query).

    Public and unlisted posts only: a network or private post must not travel further than its
    author chose. Posts in spaces are read in their thread, and a feed's items are shared as
    resources instead ("Share as a resource").
    """
    return (
        post.visibility in BOOSTABLE
        and post.state == State.PUBLISHED
        and post.deleted_at is None
        and post.hidden_at is None
        and post.space_id is None
        and getattr(post.author, "actor_type", "") != FEED_ACTOR
    )


def why_not_boostable(post: Post) -> str:
    """What to tell someone who tries to boost a post can_boost refuses."""
    if post.space_id is not None:
        return "Posts in spaces are read in their thread: they cannot be boosted."
    if getattr(post.author, "actor_type", "") == FEED_ACTOR:
        return "A feed's item cannot be boosted: share it as a resource instead."
    return NOT_BOOSTABLE


def boost_key(post: Post | int) -> str:
    """The notification key of boosts of a post (also cleared when the post is deleted)."""
    return f"boost:{getattr(post, 'pk', post)}"


def local_boost_uri(person: Person, post: Post) -> str:
    """The id of the Announce a local boost sends (new for each boost of the same post)."""
    stamp = int(timezone.now().timestamp() * 1000)
    return f"{person.uri}#boosts/{post.pk}/{stamp}"


def boost_post(
    person: Person, post: Post, *, uri: str = "", imported_at: datetime | None = None
) -> Boost | None:
    """`person` shares `post` with their network now; None if they already had.

    `uri` is the Announce's id for a remote person's boost; a local boost gets its own.
    `imported_at`: a boost brought from an archive, made then — like imported posts it is
    not news: nothing is announced (no Announce goes out) and the author is not told again.
    """
    if person.suspended_at is not None:
        raise BoostError(NOT_SEEN)
    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
        raise BoostError(NOT_SEEN)
    if not can_boost(post):
        raise BoostError(why_not_boostable(post))
    try:
        with transaction.atomic():
            boost = Boost.objects.create(
                person=person, post=post, uri=uri or local_boost_uri(person, post)
            )
            if imported_at is not None:
                Boost.objects.filter(pk=boost.pk).update(created_at=imported_at)
                boost.created_at = imported_at
                return boost
            events.announce(events.POST_BOOSTED, boost=boost)
    except IntegrityError:
        return None
    record_interaction(person, post.author)
    if post.author_id != person.pk and wants_to_hear_from(post.author, person):
        notify(
            post.author,
            person,
            Notification.Kind.BOOST,
            url=post.get_absolute_url(),
            data={"title": post.title or post.excerpt(80)},
            object_key=boost_key(post),
        )
    return boost


def unboost_post(person: Person, post: Post) -> bool:
    """Take back `person`'s boost of `post`; False if there was none."""
    return _unboost(Boost.objects.filter(person=person, post=post).first())


def unboost_by_uri(person: Person, uri: str) -> bool:
    """Take back the boost with this Announce id, if it is `person`'s; False if there was none."""
    return _unboost(Boost.objects.filter(person=person, uri=uri).first())


def _unboost(boost: Boost | None) -> bool:
    if boost is None:
        return False
    with transaction.atomic():
        events.announce(events.POST_UNBOOSTED, boost=boost)
        deleted, _ = Boost.objects.filter(pk=boost.pk).delete()
        Notification.objects.filter(
            actor_id=boost.person_id,
            kind=Notification.Kind.BOOST,
            object_key=boost_key(boost.post_id),
        ).delete()
    return bool(deleted)


def remove_boosts(post: Post) -> None:
    """A deleted post's boosts and their notifications go with it (no Undo: the Delete of the
    post tells other servers to drop their copies of its boosts, as Mastodon does)."""
    Boost.objects.filter(post_id=post.pk).delete()
    Notification.objects.filter(kind=Notification.Kind.BOOST, object_key=boost_key(post)).delete()


def has_boosted(person: Person | None, post: Post) -> bool:
    """Whether `person` boosts `post`."""
    return person is not None and Boost.objects.filter(person=person, post=post).exists()


def boosted_ids(person: Person | None, post_ids: Iterable[int]) -> set[int]:
    """Which of these posts `person` boosts (one query, written out: it runs on every page
    of cards, where building it through the ORM cost more than running it)."""
    ids = sorted(set(post_ids))
    if person is None or not ids:
        return set()
    table = connections[Boost.objects.db].ops.quote_name(Boost._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT post_id FROM {table} WHERE person_id = %s AND post_id IN ({marks})"
    with connections[Boost.objects.db].cursor() as cursor:
        cursor.execute(sql, [person.pk, *ids])
        return {row[0] for row in cursor.fetchall()}


def boosters(post: Post, viewer: Person | None, limit: int) -> tuple[list[Person], int]:
    """Up to `limit` people whose boost of `post` `viewer` may see, earliest first; and how many."""
    boosts = Boost.objects.visible_to(viewer).filter(post_id=post.pk)
    people = [
        b.person for b in boosts.select_related("person").order_by("created_at", "id")[:limit]
    ]
    return people, boosts.count()
