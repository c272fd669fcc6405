"""Places in a newest-first list that mixes posts, boosts and feed items, and the cursors
that name them.

A stream or a profile lists posts by (created_at, id), boosts by (boosted at, id) and feed items
by (at, id), merged newest first. One cursor names a place in all three orders: it holds a time
and a number that is `3 × id` for a post, `3 × id + 1` for a boost and `3 × id + 2` for a feed
item, so the merged order is (time, number) and the cursor core.pagination writes and checks (a
time and a positive number) needs no change. At equal times pages neither skip nor repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from connective.core.pagination import decode_cursor, encode_cursor


@dataclass(frozen=True)
class Position:
    """A place in the newest-first (created_at, id) order."""

    created_at: datetime
    pk: int

    def before(self, field: str = "created_at") -> Q:
        """Rows that come after this position (older), with an index-friendly bound; `field` is
        the time column of the rows' table."""
        at = self.created_at
        return Q(**{f"{field}__lte": at}) & (
            Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": self.pk})
        )

    def up_to(self) -> Q:
        """Rows from the newest down to and including this position."""
        return Q(created_at__gte=self.created_at) & (
            Q(created_at__gt=self.created_at) | Q(created_at=self.created_at, pk__gte=self.pk)
        )


@dataclass(frozen=True)
class Start:
    """Where a page starts in each of the three orders (None: at the newest)."""

    posts: Position | None = None
    boosts: Position | None = None
    items: Position | None = None


def post_number(pk: int) -> int:
    """A post's number in the merged order."""
    return 3 * pk


def boost_number(pk: int) -> int:
    """A boost's number in the merged order."""
    return 3 * pk + 1


def item_number(pk: int) -> int:
    """A feed item's number in the merged order."""
    return 3 * pk + 2


def start_from(cursor: str | None) -> Start:
    """The three positions a cursor stands for (BadCursor if it was not made by us).

    After (t, n), the rows whose (time, 3·id + k) is below (t, n) at time t are those with
    3·id + k < n, i.e. id < ⌈(n − k) / 3⌉ = (n − k + 2) // 3: posts (k = 0) id < (n + 2) // 3,
    boosts (k = 1) id < (n + 1) // 3, feed items (k = 2) id < n // 3.
    """
    if not cursor:
        return Start()
    when, number = decode_cursor(cursor)
    return Start(
        Position(when, (number + 2) // 3),
        Position(when, (number + 1) // 3),
        Position(when, number // 3),
    )


def cursor_after(when: datetime, number: int) -> str:
    """The cursor of the page that follows the item at (when, number)."""
    return encode_cursor(when, number)
