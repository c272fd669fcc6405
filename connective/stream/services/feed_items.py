"""The items of the outside feeds I follow, in my home stream.

Feed items are rows of their own (feeds.FeedItem), not posts: the stream takes the newest of
them from each feed I follow (not paused) by its (feed, at, id) index and merges them with the
posts and boosts (boosts.merged_page, one cursor for all three: positions.py). An item someone
acted on has a post (useful marks, replies): that post's card is shown in its place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from connective.accounts.models import Person
from connective.content.models import Kind
from connective.feeds.models import FeedItem, Subscription
from connective.stream.services.positions import Position

ITEMS = FeedItem._meta.db_table
SUBSCRIPTIONS = Subscription._meta.db_table
# Each followed feed's newest items after a place (`{after}`), the newest of those overall. The
# per-feed list is what drives the lookup: PostgreSQL says so with LATERAL; SQLite has none, but
# reads rows by id from a correlated list (`i.id IN (…)`, with no other way to reach `i`).
_NEWEST = (
    "SELECT {columns} FROM " + ITEMS + " j WHERE j.feed_id = s.feed_id {after}"
    " ORDER BY j.at DESC, j.id DESC LIMIT %s"
)
_OVERALL = " WHERE s.person_id = %s AND NOT s.paused ORDER BY i.at DESC, i.id DESC LIMIT %s"
_LIST = (
    f"SELECT i.id, i.post_id, i.at FROM {SUBSCRIPTIONS} s JOIN {ITEMS} i ON i.id IN"
    f" ({_NEWEST.replace('{columns}', 'j.id')}){_OVERALL}"
)
_LATERAL = (
    f"SELECT i.id, i.post_id, i.at FROM {SUBSCRIPTIONS} s CROSS JOIN LATERAL"
    f" ({_NEWEST.replace('{columns}', 'j.id, j.post_id, j.at')}) i{_OVERALL}"
)
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
    leaves them out.

    Driven from the viewer's subscriptions: each feed gives its newest `want` items after
    `start` through its own (feed, at, id) index, and only those are sorted. Asking for the
    feeds' items in one ordered query made the database read and sort every item of every feed
    followed (a year of two hundred blogs is 100,000 rows) for each page.
    """
    if topic or kind not in ("", Kind.RESOURCE):
        return []
    after, params = "", []
    adapt = connection.ops.adapt_datetimefield_value
    if start is not None:
        after = "AND (j.at < %s OR (j.at = %s AND j.id < %s))"
        params = [adapt(start.created_at), adapt(start.created_at), start.pk]
    sql = (_LATERAL if connection.vendor == "postgresql" else _LIST).format(after=after)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, want, viewer.pk, want])
        rows = cursor.fetchall()
    return [Fetched(pk, post_id, _aware(at)) for pk, post_id, at in rows]


def _aware(value: Any) -> datetime:
    """A time as the ORM gives it (SQLite hands back naive UTC, or text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def load_items(ids: list[int]) -> dict[int, FeedItem]:
    """The items with these ids, with what their cards show (one query, none for no ids)."""
    if not ids:
        return {}
    rows = FeedItem.objects.select_related("feed").only(*ITEM_CARD_FIELDS).filter(pk__in=ids)
    return {item.pk: item for item in rows}
