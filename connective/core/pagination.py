"""Cursor pagination over (created_at, id), newest first: page 50 costs what page 1 costs."""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

PAGE_SIZE = 20
MAX_CURSOR_LENGTH = 64


class BadCursor(ValueError):
    """A cursor that was not made by us (tampered, truncated or too long)."""


def encode_cursor(created_at: datetime, pk: int) -> str:
    """An opaque, URL-safe cursor for the row after which the next page starts."""
    raw = f"{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Undo encode_cursor; BadCursor on anything else."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("cursor time has no time zone")
        number = int(pk)
        if not 0 < number < 2**63:
            raise ValueError("cursor id out of range")
        return when.astimezone(UTC), number
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("cursor not understood") from exc


@dataclass
class Page:
    """One page of rows and the cursor of the next page (None at the end)."""

    items: list[Any]
    next_cursor: str | None


def paginate(
    queryset: QuerySet[Any], cursor: str | None, size: int = PAGE_SIZE, field: str = "created_at"
) -> Page:
    """The page of `queryset` after `cursor`, ordered by (field, id) descending."""
    qs = queryset.order_by(f"-{field}", "-id")
    if cursor:
        stamp, pk = decode_cursor(cursor)
        qs = qs.filter(Q(**{f"{field}__lt": stamp}) | Q(**{field: stamp, "id__lt": pk}))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(getattr(rows[-1], field), rows[-1].pk) if more else None
    return Page(rows, next_cursor)
