"""Boosts in lists of posts: the home stream and a person's profile show the posts the people
in question boosted, at the time of the boost, labelled "Boosted by <name>".

Boosts are `content.Boost` rows, never posts, so whatever lists or counts posts (topics,
search, discovery, feeds out) does not see them. Here a page is the newest of two lists, each
ordered newest first: the posts the list is made of, and the boosts it shows; see
positions.py for the cursor both share. A post appears once a page, at its newest place: when
it was posted and boosted (or boosted by several people) within one page, the newest of these
is the one shown (Mastodon does much the same: a boost of a post you have just seen is not
shown again).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from connective.accounts.models import Person
from connective.content.models import Boost, Post
from connective.core.pagination import PAGE_SIZE, Page
from connective.core.prepared import Statements
from connective.network.models import Connection, Mute
from connective.stream.services.feed_items import Fetched, load_items
from connective.stream.services.positions import (
    Position,
    boost_number,
    cursor_after,
    item_number,
    post_number,
    start_from,
)

PostTopic = Post.topics.through
STATEMENTS = Statements()


class Shared(NamedTuple):
    """One boost to show: its id, the post, who boosted it and when."""

    pk: int
    post_id: int
    person_id: int
    created_at: datetime


def home_boosts(
    viewer: Person, start: Position | None, want: int, kind: str = "", topic_id: int | None = None
) -> list[Shared]:
    """Up to `want` boosts for `viewer`'s home stream after `start`, newest first.

    Boosts by me and by the people in my network (an active connection either way), of posts
    I may see (`Boost.objects.visible_to`), minus muted boosters and muted authors, and minus
    boosts of my own posts (those come as notifications). Prepared once per shape.
    """
    values: dict[str, Any] = {"viewer": viewer.pk}
    if topic_id is not None:
        values["topic"] = topic_id
    if start is not None:
        values.update(start_at=start.created_at, start_pk=start.pk)

    def build(marks: Mapping[str, Any]) -> QuerySet:
        return _home_query(kind, want, marks)

    using = Boost.objects.db
    prepared = STATEMENTS.get(("home", kind, want, *sorted(values)), build, values, using)
    rows = list(build(values)) if prepared is None else prepared.fetch(values, using)
    return [Shared(*row) for row in rows]


def _home_query(kind: str, want: int, values: Mapping[str, Any]) -> QuerySet:
    """The home boosts' query from plain values (the viewer's id, a topic's, a position)."""
    viewer = values["viewer"]
    active = Connection.objects.filter(status=Connection.Status.ACTIVE)
    muted = Mute.objects.filter(owner_id=viewer).values("target_id")
    condition = (
        Q(person_id=viewer)
        | Q(person_id__in=active.filter(owner_id=viewer).values("target_id"))
        | Q(person_id__in=active.filter(target_id=viewer).values("owner_id"))
    )
    condition &= ~Q(person_id__in=muted) & ~Q(post__author_id__in=muted)
    condition &= ~Q(post__author_id=viewer)
    if kind:
        condition &= Q(post__kind=kind)
    if "topic" in values:
        on_topic = PostTopic.objects.filter(post_id=OuterRef("post_id"), topic_id=values["topic"])
        condition &= Q(Exists(on_topic))
    if "start_at" in values:
        condition &= Position(values["start_at"], values["start_pk"]).before()
    qs = Boost.objects.visible_to(Person(pk=viewer)).filter(condition)
    fields = ("pk", "post_id", "person_id", "created_at")
    return qs.order_by("-created_at", "-id").values_list(*fields)[:want]


def person_boosts(person: Person, viewer: Person | None) -> QuerySet[Boost]:
    """What `viewer` may see of `person`'s boosts (for their profile)."""
    return Boost.objects.visible_to(viewer).filter(person_id=person.pk)


def merged_page(
    posts: list[Post],
    shared: list[Shared],
    boosted_posts: QuerySet[Post],
    size: int = PAGE_SIZE,
    fetched: list[Fetched] | None = None,
) -> Page:
    """A page of the newest of `posts`, `shared` and `fetched` (feed items; each list newest
    first, each holding up to size + 1 rows after the page's start), a post once;
    `boosted_posts` loads the posts the boosts (and acted-on feed items) are of. Each boosted
    post carries `boosted_by_id`, `boost_pk` and `boosted_at`; a feed item nobody acted on is
    on the page as its FeedItem, one that has a post as that post with `feed_item_pk`."""
    entries: list[tuple[tuple[datetime, int], Any]] = [
        ((p.created_at, post_number(p.pk)), p) for p in posts
    ]
    entries += [((s.created_at, boost_number(s.pk)), s) for s in shared]
    entries += [((f.at, item_number(f.pk)), f) for f in fetched or ()]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    more = len(entries) > size
    entries = entries[:size]
    next_cursor = cursor_after(*entries[-1][0]) if more else None
    loaded = _boosted_posts(entries, boosted_posts)
    items = load_items([e.pk for _, e in entries if isinstance(e, Fetched) and not e.post_id])
    shown: list[Any] = []
    seen: set[int] = set()
    for _, entry in entries:
        if isinstance(entry, Fetched) and not entry.post_id:
            if entry.pk in items:  # an item deleted since it was listed is left out
                shown.append(items[entry.pk])
            continue
        post = entry if isinstance(entry, Post) else loaded.get(entry.post_id)
        if post is None or post.pk in seen:
            continue
        seen.add(post.pk)
        if isinstance(entry, Shared):
            post.boosted_by_id = entry.person_id  # type: ignore[attr-defined]
            post.boost_pk = entry.pk  # type: ignore[attr-defined]
            post.boosted_at = entry.created_at  # type: ignore[attr-defined]
        elif isinstance(entry, Fetched):
            post.feed_item_pk = entry.pk  # type: ignore[attr-defined]
        shown.append(post)
    return Page(shown, next_cursor)


def _boosted_posts(entries: list, boosted_posts: QuerySet[Post]) -> dict[int, Post]:
    """The posts of the boosts and acted-on feed items among `entries`, by id (one query, none
    without them)."""
    ids = sorted(
        {
            entry.post_id
            for _, entry in entries
            if isinstance(entry, Shared | Fetched) and entry.post_id
        }
    )
    if not ids:
        return {}
    return {post.pk: post for post in boosted_posts.filter(pk__in=ids)}


def profile_page(
    person: Person, viewer: Person | None, posts: QuerySet[Post], cursor: str | None
) -> Page:
    """A profile's Posts tab: `posts` (the person's, ordered by nothing in particular) and the
    posts they boosted, newest first (BadCursor for a cursor we did not make)."""
    start = start_from(cursor)
    want = PAGE_SIZE + 1
    own = posts.order_by("-created_at", "-id")
    boosts = person_boosts(person, viewer).order_by("-created_at", "-id")
    if start.posts is not None:
        own = own.filter(start.posts.before())
    if start.boosts is not None:
        boosts = boosts.filter(start.boosts.before())
    fields = ("pk", "post_id", "person_id", "created_at")
    shared = [Shared(*row) for row in boosts.values_list(*fields)[:want]]
    loader = Post.objects.select_related("author").prefetch_related("topics")
    page = merged_page(list(own[:want]), shared, loader)
    load_boosters(page.items)
    return page


def load_boosters(items: list[Post]) -> None:
    """Give each boosted post its booster as `boosted_by` (one query, none without boosts)."""
    ids = {getattr(post, "boosted_by_id", None) for post in items} - {None}
    if not ids:
        return
    people = Person.objects.only("id", "handle", "domain", "display_name").in_bulk(ids)
    for post in items:
        booster = getattr(post, "boosted_by_id", None)
        if booster is not None:
            post.boosted_by = people[booster]  # type: ignore[attr-defined]
