"""Store a feed's items, de-duplicated by id, link and content.

Each item is one FeedItem row holding what the stream shows (title, sanitised HTML, link,
licence, time); search indexes it on FEED_ITEMS_STORED. It becomes a Post only when someone acts
on it (materialize.py). A poll's new items are inserted in bulk; should another poll have stored
some first (a unique key refuses the batch), they are stored one at a time, skipping those. The
poll's transaction commits them with the feed's new schedule.
"""

from __future__ import annotations

from datetime import datetime
from html import unescape
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.core import events
from connective.core.html import plain_text
from connective.feeds.models import Feed, FeedItem, Subscription
from connective.feeds.services.materialize import refresh_post
from connective.feeds.services.parse import ParsedFeed, ParsedItem
from connective.feeds.services.rows import NewRow, Stored, insert_rows
from connective.topics.normalize import hashtags


def store_items(feed: Feed, parsed: ParsedFeed) -> tuple[int, int]:
    """Add new items and update changed ones; (new, updated).

    One query finds what is already stored (none on a feed's first poll); the new items are
    inserted in bulk and announced once (search indexes them).
    """
    items = _unique(parsed.items)
    known = _known(feed, items)
    fresh: list[ParsedItem] = []
    updated = 0
    for item in items:
        match = _match(known, item)
        if match is None:
            fresh.append(item)
        elif match.content_hash != item.content_hash:
            _update(match, item)
            updated += 1
    stored = _insert(feed, fresh, parsed.licence) if fresh else []
    if stored:
        events.announce(events.FEED_ITEMS_STORED, items=stored, feed=feed)  # search indexes them
        for learner in _bloggers(feed):
            for row in stored:
                _record_evidence(learner, _parsed(row))
    return len(stored), updated


def _bloggers(feed: Feed) -> list[Person]:
    """The people whose own blog this feed is (usually nobody: one plain statement, which cost a
    tenth of the ORM's building of it on every poll that brings something)."""
    table = Subscription._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id FROM {table} WHERE feed_id = %s AND own_blog", [feed.pk])
        ids = [row[0] for row in cursor.fetchall()]
    return list(Person.objects.filter(pk__in=ids)) if ids else []


def _unique(items: list[ParsedItem]) -> list[ParsedItem]:
    """Oldest first (so ids follow the feed's order), each id once (its first, newest copy)."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.key_hash not in seen:
            seen.add(item.key_hash)
            unique.append(item)
    return unique[::-1]


def _insert(feed: Feed, items: list[ParsedItem], licence: str) -> list[Stored]:
    """Store new items in bulk; if another poll stored some of them meanwhile (a unique key
    refuses the batch), one at a time, skipping those."""
    now = timezone.now()
    rows = [_new_row(feed, item, licence, now) for item in items]
    try:
        with transaction.atomic():
            return insert_rows(rows, now)
    except IntegrityError:
        pass
    stored = []
    for row in rows:
        try:
            with transaction.atomic():
                stored += insert_rows([row], now)
        except IntegrityError:
            continue
    return stored


def _known(feed: Feed, items: list[ParsedItem]) -> dict[str, FeedItem]:
    """This feed's stored items that share a key, link or content with these, by each hash."""
    if not items or feed.last_success_at is None:
        return {}  # a first poll: nothing stored yet (items and success are stored together)
    if not FeedItem.objects.filter(feed=feed).exists():
        return {}  # nothing to compare with (and no long IN lists to build)
    keys = {i.key_hash for i in items} | {i.content_hash for i in items}
    links = {i.link_hash for i in items if i.link_hash}
    rows = (
        FeedItem.objects.filter(feed=feed).filter(key_hash__in=keys)
        | FeedItem.objects.filter(feed=feed, link_hash__in=links)
        | FeedItem.objects.filter(feed=feed, content_hash__in=keys)
    )
    known: dict[str, FeedItem] = {}
    for row in rows.defer("body_html"):  # the content is read only for an item that changed
        for value in (row.content_hash, row.link_hash, row.key_hash):
            if value:
                known[value] = row
    return known


def _match(known: dict[str, FeedItem], item: ParsedItem) -> FeedItem | None:
    """The stored item this one is: same id, else same link, else same content."""
    for value in (item.key_hash, item.link_hash, item.content_hash):
        if value and value in known:
            return known[value]
    return None


def item_title(item: ParsedItem) -> str:
    """The item's title, else its first words, else the host of its link."""
    if item.title:
        return item.title[:200]
    text = unescape(plain_text(item.clean_html))  # the sanitiser's text is HTML-escaped
    return (text[:80] or urlsplit(item.link).hostname or "Untitled")[:200]


def _new_row(feed: Feed, item: ParsedItem, licence: str, now: datetime) -> NewRow:
    return NewRow(
        feed_id=feed.pk,
        key_hash=item.key_hash,
        link_hash=item.link_hash,
        content_hash=item.content_hash,
        guid=item.guid,
        link=item.link,
        title=item_title(item),
        body_html=item.clean_html,
        licence=item.licence or licence,
        categories=item.categories,
        published_at=item.published_at,
        at=item.published_at or now,
    )


def _update(stored: FeedItem, item: ParsedItem) -> None:
    """Bring a stored item (and the post made of it, if any) up to date with its new version."""
    with transaction.atomic():
        stored.title, stored.body_html = item_title(item), item.clean_html
        stored.content_hash = item.content_hash
        stored.link, stored.link_hash = item.link, item.link_hash
        stored.categories = item.categories
        stored.save(
            update_fields=[
                "title",
                "body_html",
                "content_hash",
                "link",
                "link_hash",
                "categories",
                "updated_at",
            ]
        )
        events.announce(events.FEED_ITEM_CHANGED, item=stored)
        if stored.post_id:
            refresh_post(stored)


def item_tags(item: ParsedItem) -> list[str]:
    """The categories and hashtags an item carries (what course activities look for)."""
    text = f"{item.title} {plain_text(item.clean_html)}"
    return list(dict.fromkeys([*item.categories, *hashtags(text)]))


def record_existing_evidence(sub: Subscription, limit: int = 200) -> None:
    """A blog just registered as mine: what it already holds counts too (tagged posts only)."""
    for row in FeedItem.objects.filter(feed_id=sub.feed_id)[:limit]:
        _record_evidence(sub.person, _parsed(row))


def _parsed(row: FeedItem | Stored) -> ParsedItem:
    """A stored item as the evidence check reads it."""
    return ParsedItem(
        guid=row.guid,
        link=row.link,
        title=row.title,
        summary_html=row.body_html,
        categories=list(row.categories),
        published_at=row.published_at,
    )


def _record_evidence(learner: Person, item: ParsedItem) -> None:
    """A new post on the learner's own blog counts for the activities whose tag it carries."""
    from connective.courses.services.evidence import record_outside_evidence

    if not item.link:
        return
    record_outside_evidence(
        learner,
        tags=item_tags(item),
        url=item.link,
        title=item.title,
        published_at=item.published_at or timezone.now(),
    )
