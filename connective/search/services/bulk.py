"""The index's bulk path: `connective reindex`, and batches of documents made elsewhere.

A rebuild of a million posts must not cost a model instance, a prefetch and several queries a
post: people and posts are read as `values()` rows a batch at a time, their documents made by
the same functions as the one-object path (`documents.post_row_doc`, `person_row_doc`), with
their topics read from the objects' own topic tables a batch at a time, and inserted with one
statement a batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from connective.accounts.models import Person
from connective.content.models import Post, State
from connective.search.models import SearchDocument
from connective.search.services.documents import (
    FEED_ACTOR,
    PERSON_FIELDS,
    POST_FIELDS,
    Doc,
    person_row_doc,
    post_row_doc,
)
from connective.topics.models import Topic

BATCH = 2000
COLUMNS = (
    "source", "object_id", "kind", "title", "topic_text", "body", "facets", "author_id",
    "licence", "created_at", "indexed_at",
)  # fmt: skip
DOCS = SearchDocument._meta.db_table
# Two rebuilds at once on PostgreSQL: the second's DELETE did not see the first's new rows, so
# both did the whole work (and, while documents had topic links, the second failed on the
# first's after minutes). It now waits for the first.
REBUILD_LOCK = 0x5EA2C4  # an arbitrary advisory-lock key, the search index's own


@contextmanager
def rebuilding() -> Iterator[None]:
    """The frame of a whole rebuild, in each database's own way.

    SQLite: one transaction. The full-text table's triggers (migration 0006) are dropped for the
    duration and the table rebuilt once at the end, from the documents, then the same triggers
    made again (read back from the schema, so they stay the migrations' own). Through the
    triggers FTS5 indexed a document at a time (125 µs each: two thirds of a million-post
    rebuild) and emptying it deleted every old document one by one (20 s). Searches see the old
    index until the new one is complete; a failed rebuild leaves it as it was (and the triggers
    with it); other writers wait, as SQLite's single writer always makes them.

    PostgreSQL: a transaction a batch, as before: in one transaction the emptied index held a
    row lock on every old document, so editing any post or profile waited for the whole rebuild
    (three minutes at a million posts). Searches see a partial index meanwhile. A session lock
    keeps to one rebuild at a time: two at once did the work twice over.
    """
    if connection.vendor == "sqlite":
        with transaction.atomic():
            triggers = _set_triggers_aside()
            yield
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
                for _name, sql in triggers:
                    cursor.execute(sql)
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])


def _set_triggers_aside() -> list[tuple[str, str]]:
    """Drop the documents table's triggers; returns their names and SQL to make them again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [DOCS],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    return triggers


def clear() -> None:
    """Empty the index in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DOCS}")


def insert_docs(docs: list[Doc]) -> None:
    """Insert documents that are not in the index yet (their topics are in `facets`)."""
    if docs:
        _insert_rows(docs)


def _insert_rows(docs: list[Doc]) -> None:
    """One INSERT for the batch; values prepared as the ORM prepares them."""
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(datetime.now(UTC))
    rows = [
        (
            d.source,
            d.object_id,
            d.kind,
            d.title,
            d.topic_text,
            d.body,
            d.facets,
            d.author_id,
            d.licence,
            adapt(d.created_at),
            now,
        )  # fmt: skip
        for d in docs
    ]
    marks = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(  # a document the services wrote meanwhile (PostgreSQL) stays
            f"INSERT INTO {DOCS} ({', '.join(COLUMNS)}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            rows,
        )


def rebuild_posts() -> int:
    """Index every published, undeleted post; returns how many. Posts made of feed items are
    found as their items (feed_items.py)."""
    published = Post.objects.filter(state=State.PUBLISHED, deleted_at__isnull=True)
    rows = published.exclude(author__actor_type=FEED_ACTOR).values(*POST_FIELDS)
    links = [(Post.topics.through._meta.db_table, "post_id")]
    return _rebuild_rows(rows, links, post_row_doc)


def rebuild_people() -> int:
    """Index everyone but deleted accounts (whether a person is shown is decided at query
    time); returns how many."""
    rows = Person.objects.filter(deleted_at__isnull=True).values(*PERSON_FIELDS)
    links = [
        (Person.interests.through._meta.db_table, "person_id"),
        (Person.expertise.through._meta.db_table, "person_id"),
    ]
    return _rebuild_rows(rows, links, person_row_doc)


def rebuild_objects(queryset: Any, make_doc: Any) -> int:
    """Index the objects of `queryset` through their one-object document function (spaces and
    courses: few enough that model instances cost nothing); `make_doc` may return None."""
    count = 0
    for batch in _batches(queryset):
        docs = [doc for doc in map(make_doc, batch) if doc is not None]
        with transaction.atomic():
            insert_docs(docs)
        count += len(docs)
    return count


def _rebuild_rows(rows: Any, links: list[tuple[str, str]], make_doc: Any) -> int:
    """Index `rows` (a values() queryset) a batch at a time; `links` are the objects' topic
    tables as (table, object column), each with a topic_id column."""
    topics = _Topics()
    count = 0
    for batch in _batches(rows, key="id"):
        low, high = batch[0]["id"], batch[-1]["id"]
        pairs = _topic_pairs(links, low, high)
        topics.load({t for ids in pairs.values() for t in ids})
        docs = [make_doc(row, topics.of(pairs.get(row["id"], ()))) for row in batch]
        with transaction.atomic():
            _insert_rows(docs)
        count += len(docs)
    return count


def _batches(queryset: Any, key: str | None = None) -> Iterator[list[Any]]:
    """Rows of `queryset` in primary-key batches: memory stays flat however big the table is."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][key] if key else batch[-1].pk


def _topic_pairs(links: list[tuple[str, str]], low: int, high: int) -> dict[int, set[int]]:
    """Topic ids of each object from `low` to `high`, from the objects' own topic tables."""
    pairs: dict[int, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        for table, column in links:
            cursor.execute(
                f"SELECT {column}, topic_id FROM {table} WHERE {column} BETWEEN %s AND %s",
                [low, high],
            )
            for object_id, topic_id in cursor.fetchall():
                pairs[object_id].add(topic_id)
    return pairs


class _Topics:
    """Topics by id, each read once however many documents carry it."""

    def __init__(self) -> None:
        self.known: dict[int, Topic] = {}

    def load(self, ids: set[int]) -> None:
        missing = [pk for pk in ids if pk not in self.known]
        if missing:
            self.known.update(Topic.objects.only("id", "key", "name").in_bulk(missing))

    def of(self, ids: Any) -> list[Topic]:
        return [self.known[pk] for pk in ids]
