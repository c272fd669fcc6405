"""Which documents a viewer may find, decided from the live tables, never from the index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.core.idlist import IdArray, id_json
from connective.core.prepared import Statements
from connective.feeds.models import FeedItem
from connective.network.models import Block, Connection
from connective.search.models import DocKind, SearchDocument, Source
from connective.search.services.documents import FEED_ACTOR
from connective.search.services.index import optional_model

POST_KINDS = [DocKind.NOTE, DocKind.ARTICLE, DocKind.RESOURCE, DocKind.WEB]


def _posts(viewer: Person | None) -> Exists:
    """Posts the visibility rule lets `viewer` see, minus other people's unlisted posts.

    Search is a listing, and unlisted means "not in listings": only the author finds their own
    unlisted posts. (Feed items are documents of their own, `_feed_items`; posts made from them
    are not indexed, so no post needs its author read here: one lookup a candidate less.)
    """
    listed = ~Q(visibility=Visibility.UNLISTED)
    if viewer is not None:
        listed |= Q(author_id=viewer.pk)
    rows = Post.objects.visible_to(viewer).filter(listed, pk=OuterRef("object_id"))
    if viewer is not None:  # the rule hides authors who block the viewer; search also hides
        rows = rows.exclude(author_id__in=_blocked_by(viewer))  # those the viewer blocks
    return Exists(rows)


def _feed_items() -> Exists:
    """Feed items that still exist."""
    return Exists(FeedItem.objects.filter(pk=OuterRef("object_id")))


def _blocked_by(viewer: Person) -> Any:
    """People the viewer blocks, as a subquery."""
    return Block.objects.filter(owner_id=viewer.pk).values("target_id")


def _people(viewer: Person | None) -> Exists:
    """Local people who opted in to discovery, and people in the viewer's own network; never
    suspended people, feed sources, someone who blocked the viewer or whom the viewer blocks."""
    # The person is found by a range of one id, not `pk=`: an equality lets PostgreSQL turn the
    # EXISTS into a hash of every findable person, which it did for a few hundred candidates (a
    # scan of 100,000 people, 73 ms, instead of a lookup each); a range it cannot hash.
    one = Q(pk__gte=OuterRef("object_id"), pk__lte=OuterRef("object_id"))
    rows = Person.objects.filter(one, suspended_at__isnull=True).exclude(actor_type=FEED_ACTOR)
    findable = Q(domain="", discoverable=True)
    if viewer is not None:
        active = Connection.objects.filter(status=Connection.Status.ACTIVE)
        findable |= (
            Q(pk=viewer.pk)
            | Q(pk__in=active.filter(owner_id=viewer.pk).values("target_id"))
            | Q(pk__in=active.filter(target_id=viewer.pk).values("owner_id"))
        )
        rows = rows.exclude(pk__in=Block.objects.filter(target_id=viewer.pk).values("owner_id"))
        rows = rows.exclude(pk__in=_blocked_by(viewer))
    return Exists(rows.filter(findable))


def _spaces() -> Exists | None:
    """Every space is findable by name and description; members-only spaces' posts are not (the
    post rule sees to that)."""
    model = optional_model("spaces", "Space")
    return None if model is None else Exists(model.objects.filter(pk=OuterRef("object_id")))


def _courses(viewer: Person | None) -> Exists | None:
    """Published courses only."""
    model: Any = optional_model("courses", "Course")
    if model is None:
        return None
    manager = model.objects
    published = getattr(manager, "published", None)
    rows = published() if published is not None else manager.filter(state="published")
    return Exists(rows.filter(pk=OuterRef("object_id")))


def visible(viewer: Person | None) -> Q:
    """The condition on SearchDocument rows that `viewer` may find."""
    # By kind, not source: `source` leads a unique index, and SQLite then walked every document
    # of each source instead of starting from the full-text matches.
    condition = Q(Q(kind__in=POST_KINDS), ~Q(source=Source.FEED_ITEM), _posts(viewer))
    # A feed's items are public on the web already: anyone may find them (the item's row is
    # checked, so a document whose item has gone finds nothing).
    condition |= Q(Q(kind=DocKind.WEB, source=Source.FEED_ITEM), _feed_items())
    condition |= Q(Q(kind=DocKind.PERSON), _people(viewer))
    spaces, courses = _spaces(), _courses(viewer)
    if spaces is not None:
        condition |= Q(Q(kind=DocKind.SPACE), spaces)
    if courses is not None:
        condition |= Q(Q(kind=DocKind.COURSE), courses)
    return condition


# The rule above, over a list of candidate ids, compiled once per shape (anonymous or not) and
# run with each request's viewer and ids: building and compiling it cost the ORM more than the
# database spent running it over a thousand candidates.
_STATEMENTS = Statements(limit=8)
_IDS_MARK = (-7299999990,)  # the ids while the statement is compiled, found again by value


def visible_ids(viewer: Person | None, ids: list[int]) -> set[int]:
    """Which of the documents `ids` the viewer may find."""
    if not ids:
        return set()
    vendor = connection.vendor
    payload = id_json(ids, vendor)

    def build(values: Mapping[str, Any]) -> QuerySet[SearchDocument, int]:
        who = None if viewer is None else Person(pk=values["viewer"])
        rows = SearchDocument.objects.filter(pk__in_ids=IdArray(values.get("ids", _IDS_MARK)))
        rows = rows.filter(visible(who))
        return rows.order_by().values_list("pk", flat=True)

    shape = ("search-visible", viewer is None)
    values: dict[str, Any] = {} if viewer is None else {"viewer": viewer.pk}
    prepared = _STATEMENTS.get(shape, build, values, connection.alias)
    slot = None if prepared is None else _slot(prepared.params, id_json(_IDS_MARK, vendor))
    if prepared is None or slot is None:
        return set(build({**values, "ids": ids}))
    params = prepared.bind(values, connection.alias)
    params[slot] = payload
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, params)
        return {row[0] for row in cursor.fetchall()}


def _slot(params: tuple[Any, ...], mark: str) -> int | None:
    """Where the ids go: the one parameter that is the marker."""
    found = [i for i, value in enumerate(params) if value == mark]
    return found[0] if len(found) == 1 else None
