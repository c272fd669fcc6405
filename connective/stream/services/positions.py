"""Places in a newest-first list that mixes posts and boosts, and the cursors that name them.

A stream or a profile lists posts by (created_at, id) and boosts by (boosted at, id), merged
newest first. One cursor names a place in both orders: it holds a time and a number that is
`2 × id` for a post and `2 × id + 1` for a boost, so the merged order is (time, number) and
the cursor core.pagination writes and checks (a time and a positive number) needs no change.
At equal times a boost sorts above the post with the same id, and pages neither skip nor repeat.
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

    def before(self) -> Q:
        """Rows that come after this position (older), with an index-friendly bound."""
        return Q(created_at__lte=self.created_at) & (
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )

    def up_to(self) -> Q:
        """Rows from the newest down to and including this position."""
        return Q(created_at__gte=self.created_at) & (
            Q(created_at__gt=self.created_at) | Q(created_at=self.created_at, pk__gte=self.pk)
        )


@dataclass(frozen=True)
class Start:
    """Where a page starts in each of the two orders (None: at the newest)."""

    posts: Position | None = None
    boosts: Position | None = None


def post_number(pk: int) -> int:
    """A post's number in the merged order."""
    return 2 * pk


def boost_number(pk: int) -> int:
    """A boost's number in the merged order."""
    return 2 * pk + 1


def start_from(cursor: str | None) -> Start:
    """The two positions a cursor stands for (BadCursor if it was not made by us).

    After (t, n): the posts with (created_at, 2·id) below (t, n), i.e. id < (n + 1) // 2, and
    the boosts with (created_at, 2·id + 1) below it, i.e. id < n // 2.
    """
    if not cursor:
        return Start()
    when, number = decode_cursor(cursor)
    return Start(Position(when, (number + 1) // 2), Position(when, number // 2))


def cursor_after(when: datetime, number: int) -> str:
    """The cursor of the page that follows the item at (when, number)."""
    return encode_cursor(when, number)
