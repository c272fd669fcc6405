"""A poll's new items written with one INSERT … RETURNING per batch.

A poll stores up to 200 items and most polls of a busy reader store dozens: Django's bulk_create
built a model instance and prepared each of 14 fields through its field machinery per item,
which cost more than SQLite's own work. Here each item is one tuple of values prepared as the ORM
prepares them (the same adapters), inserted in one statement, and the new ids come back with
their keys (so the order the database returns them in does not matter). What the poll hands on
(search indexes them, a learner's blog counts as evidence) is a light `Stored` record, not a model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import connection

from connective.feeds.models import FeedItem

COLUMNS = (
    "feed_id", "key_hash", "link_hash", "content_hash", "guid", "link", "title", "body_html",
    "licence", "categories", "published_at", "at", "fetched_at", "updated_at",
)  # fmt: skip
TABLE = FeedItem._meta.db_table
CHUNK = 500  # rows a statement: 7,000 parameters, well inside both databases' limits


_HOST = re.compile(r"https?://([a-z0-9.-]+)(?::[0-9]+)?(?:[/?#]|\Z)", re.IGNORECASE)


def host_of(url: str) -> str:
    """The host of a checked web address, in lower case (a plain name is read directly)."""
    found = _HOST.match(url)
    if found is not None:
        return found.group(1).lower()
    return urlsplit(url).hostname or ""


@dataclass(frozen=True)
class NewRow:
    """The values of one item to insert."""

    feed_id: int
    key_hash: str
    link_hash: str
    content_hash: str
    guid: str
    link: str
    title: str
    body_html: str
    licence: str
    categories: list[str]
    published_at: datetime | None
    at: datetime

    @property
    def link_domain(self) -> str:
        return host_of(self.link)


@dataclass(frozen=True)
class Stored(NewRow):
    """A feed item just stored (its row's values and its id): what its search document and the
    evidence check read."""

    pk: int


def insert_rows(rows: list[NewRow], now: datetime) -> list[Stored]:
    """Insert `rows` (new keys of one feed, IntegrityError if one is there already); the stored
    items, in the order given."""
    stored: list[Stored] = []
    for start in range(0, len(rows), CHUNK):
        stored += _insert_chunk(rows[start : start + CHUNK], now)
    return stored


def _datetime_adapter() -> Callable[[datetime | None], Any]:
    """What the ORM would store for a datetime, without its per-value checks: SQLite keeps
    aware datetimes as naive text in the connection's time zone (as the ORM writes them)."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    zone = connection.timezone
    return lambda value: None if value is None else str(value.astimezone(zone).replace(tzinfo=None))


def _insert_chunk(rows: list[NewRow], now: datetime) -> list[Stored]:
    adapt = _datetime_adapter()
    as_json = FeedItem._meta.get_field("categories").get_db_prep_save
    stamp = adapt(now)
    params: list[Any] = []
    for r in rows:
        params += (
            r.feed_id, r.key_hash, r.link_hash, r.content_hash, r.guid, r.link, r.title,
            r.body_html, r.licence, as_json(r.categories, connection), adapt(r.published_at),
            adapt(r.at), stamp, stamp,
        )  # fmt: skip
    one = f"({', '.join(['%s'] * len(COLUMNS))})"
    sql = (
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES {', '.join([one] * len(rows))}"
        " RETURNING id, key_hash"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = dict((key, pk) for pk, key in cursor.fetchall())
    return [Stored(**vars(r), pk=ids[r.key_hash]) for r in rows]
