"""The items of the outside feeds I follow, in my home stream.

Feed items are rows of their own (feeds.FeedItem), not posts: the stream takes the newest of
them from the feeds I follow (not paused) by their own (at, id) index and merges them with the
posts and boosts (boosts.merged_page, one cursor for all three: positions.py). An item someone
acted on has a post (useful marks, replies): that post's card is shown in its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import QuerySet

from connective.accounts.models import Person
from connective.content.models import Kind
from connective.core.prepared import Statements
from connective.feeds.models import FeedItem, Subscription
from connective.stream.services.positions import Position

STATEMENTS = Statements()
ITEM_CARD_FIELDS = (
    "id",
    "post_id",
    "title",
    "body_html",
    "link",
    "licence",
    "at",
    "feed__id",
    "feed__title",
    "feed__url",
    "feed__site_url",
)


class Fetched(NamedTuple):
    """One feed item to show: its id, the post made of it (if any), its time."""

    pk: int
    post_id: int | None
    at: datetime


def home_items(
    viewer: Person, start: Position | None, want: int, kind: str = "", topic: bool = False
) -> list[Fetched]:
    """Up to `want` items of the viewer's feeds after `start`, newest first. Items are
    resources on no topic of ours: a kind filter other than resources, or a topic filter,
    leaves them out."""
    if topic or kind not in ("", Kind.RESOURCE):
        return []
    values: dict[str, Any] = {"viewer": viewer.pk}
    if start is not None:
        values.update(start_at=start.created_at, start_pk=start.pk)

    def build(marks: Mapping[str, Any]) -> QuerySet:
        return _home_query(want, marks)

    using = FeedItem.objects.db
    prepared = STATEMENTS.get(("items", want, *sorted(values)), build, values, using)
    rows = list(build(values)) if prepared is None else prepared.fetch(values, using)
    return [Fetched(*row) for row in rows]


def _home_query(want: int, values: Mapping[str, Any]) -> QuerySet:
    feeds = Subscription.objects.filter(person_id=values["viewer"], paused=False)
    qs = FeedItem.objects.filter(feed_id__in=feeds.values("feed_id"))
    if "start_at" in values:
        qs = qs.filter(Position(values["start_at"], values["start_pk"]).before("at"))
    return qs.order_by("-at", "-id").values_list("pk", "post_id", "at")[:want]


def load_items(ids: list[int]) -> dict[int, FeedItem]:
    """The items with these ids, with what their cards show (one query, none for no ids)."""
    if not ids:
        return {}
    rows = FeedItem.objects.select_related("feed").only(*ITEM_CARD_FIELDS).filter(pk__in=ids)
    return {item.pk: item for item in rows}
