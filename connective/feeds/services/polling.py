"""Polling: a durable schedule per feed (the Feed row is the truth), one fetch per feed.

`poll_due()` is the worker's sweep: it claims due feeds with a short lease and enqueues one
poll task each. `poll_feed()` fetches with a conditional GET, then stores the items and moves
the schedule forward in one transaction; a worker killed half way leaves the row due, the
lease runs out, and the next sweep polls it again (items are recognised by their keys, so an
item is never stored twice).
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from connective.core.http import Fetched, FetchError, fetch
from connective.core.prepared import Statements, row_by_key
from connective.core.writes import insert, update_fields
from connective.feeds.models import Feed, FetchLog, Subscription
from connective.feeds.services.items import store_items
from connective.feeds.services.materialize import rename_source
from connective.feeds.services.parse import FeedInvalid, ParsedFeed, parse_feed
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
FIRST_INTERVAL = 3600
LEASE = timedelta(minutes=5)
FEED_MAX_BYTES = 5 * 1024 * 1024
FEED_TIMEOUT = 10.0
NOTIFY_AFTER = 3  # failures in a row before subscribers are told (once)
KEEP_LOG = 30  # fetches kept per feed (trimmed every tenth entry, so a few more at times)
CLAIM_BATCH = 100
_STATEMENTS = Statements(limit=8)
SCHEDULE_FIELDS = [
    "interval",
    "status",
    "last_error",
    "failure_count",
    "failing_notified",
    "last_polled_at",
    "last_success_at",
    "last_new_item_at",
    "next_poll_at",
    "claimed_until",
    "not_modified_count",
]
CONTENT_FIELDS = ["title", "site_url", "description", "licence", "etag", "last_modified"]
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)


def poll_due(now: datetime | None = None) -> list[int]:
    """Claim the feeds that are due and poll each through the task queue (the sweep)."""
    from connective.feeds.tasks import poll_feed_task

    claimed = claim_due(now)
    for pk in claimed:
        poll_feed_task.enqueue(pk)
    return claimed


def claim_due(now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Ids of due feeds someone follows, each now leased to this caller."""
    now = now or timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    followed = Exists(Subscription.objects.filter(feed_id=OuterRef("pk"), paused=False))
    due = Feed.objects.filter(free, followed, next_poll_at__lte=now).order_by("next_poll_at")
    claimed = []
    for pk in due.values_list("pk", flat=True)[:limit]:
        if Feed.objects.filter(free, pk=pk).update(claimed_until=now + LEASE):
            claimed.append(pk)
    return claimed


def conditional_headers(feed: Feed) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last answer."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def fetch_feed(url: str, headers: dict[str, str] | None = None) -> Fetched:
    """Fetch a feed (or a page that may point at one) through the guarded client."""
    return fetch(
        url, headers=headers, accept=ACCEPT, max_bytes=FEED_MAX_BYTES, timeout=FEED_TIMEOUT
    )


def read_feed(feed_id: int) -> Feed | None:
    """The feed by its key (the query prepared once: building it cost more than running it)."""
    return row_by_key(_STATEMENTS, Feed, "pk", feed_id)


def poll_feed(feed_id: int, now: datetime | None = None) -> FetchLog | None:
    """Poll one feed now; the log entry of what happened (None if the feed is gone, or if it
    answered "not modified": see record_success)."""
    feed = read_feed(feed_id)
    if feed is None:
        return None
    started = time.monotonic()
    try:
        got = fetch_feed(feed.url, conditional_headers(feed))
    except FetchError as exc:
        return record_failure(feed, str(exc), started=started, now=now)
    if got.status == 304:
        return record_success(feed, got, None, started=started, now=now)
    if got.status >= 400:
        reason = f"the server answered {got.status}"
        return record_failure(feed, reason, got=got, started=started, now=now)
    try:
        parsed = parse_feed(got.content, got.url, got.content_type)
    except FeedInvalid as exc:
        return record_failure(feed, str(exc), got=got, started=started, now=now)
    return record_success(feed, got, parsed, started=started, now=now)


def record_success(
    feed: Feed,
    got: Fetched,
    parsed: ParsedFeed | None,
    *,
    started: float,
    now: datetime | None = None,
) -> FetchLog | None:
    """Store what came, remember the validators, schedule the next poll: in one transaction, so
    a poll that dies half way stores nothing and its feed stays due.

    A poll answered "not modified" (most of them) writes only the feed's row, in one statement:
    its schedule and `not_modified_count` (the fetch log keeps what brought a document or failed;
    the feed row says how many unchanged polls came since). It logs nothing: None.
    """
    now = now or timezone.now()
    before = [getattr(feed, name) for name in SCHEDULE_FIELDS]
    if parsed is None:
        _schedule(feed, got, before, now, changed=False, not_modified=True)
        return None
    with transaction.atomic():
        return _record_document(feed, got, parsed, started, now, before)


def _record_document(
    feed: Feed, got: Fetched, parsed: ParsedFeed, started: float, now: datetime, before: list
) -> FetchLog:
    """A document came: its items, the feed's details and validators, the schedule, a log line."""
    _update_meta(feed, parsed)
    new, updated = store_items(feed, parsed)
    feed.etag = got.headers.get("etag", "")[:500]
    feed.last_modified = got.headers.get("last-modified", "")[:100]
    if new:
        feed.last_new_item_at = now
    changed = bool(new or updated)
    _schedule(feed, got, before, now, changed=changed, not_modified=False)
    outcome = FetchLog.Outcome.NEW if changed else FetchLog.Outcome.UNCHANGED
    return _log(feed, outcome, got, started, new=new, updated=updated)


def _schedule(
    feed: Feed, got: Fetched, before: list, now: datetime, *, changed: bool, not_modified: bool
) -> None:
    """A successful poll: healthy again, the next poll set; the row written in one statement,
    with only what differs from `before` (an unchanged poll: the times, the interval and its
    count)."""
    feed.interval = _adapted(feed.interval, changed, _max_age(got))
    feed.status, feed.last_error, feed.failure_count = Feed.Status.OK, "", 0
    feed.failing_notified = False
    feed.last_polled_at = feed.last_success_at = now
    feed.next_poll_at = now + timedelta(seconds=feed.interval)
    feed.claimed_until = None
    feed.not_modified_count = feed.not_modified_count + 1 if not_modified else 0
    unchanged = {
        n for n, old in zip(SCHEDULE_FIELDS, before, strict=True) if getattr(feed, n) == old
    }
    fields = SCHEDULE_FIELDS if not_modified else SCHEDULE_FIELDS + CONTENT_FIELDS
    update_fields(feed, [name for name in fields if name not in unchanged])


def _update_meta(feed: Feed, parsed: ParsedFeed) -> None:
    renamed = bool(parsed.title and parsed.title != feed.title)
    feed.title = parsed.title or feed.title
    feed.site_url = parsed.site_url[:500] or feed.site_url
    feed.description = parsed.description or feed.description
    feed.licence = parsed.licence or feed.licence
    if renamed:
        rename_source(feed)


def record_failure(
    feed: Feed,
    reason: str,
    *,
    got: Fetched | None = None,
    started: float,
    now: datetime | None = None,
) -> FetchLog:
    """Back off (exponentially, with jitter), keep the reason, tell subscribers once."""
    now = now or timezone.now()
    feed.failure_count += 1
    feed.last_error = reason[:500]
    feed.status = Feed.Status.BROKEN if feed.failure_count >= NOTIFY_AFTER else Feed.Status.FAILING
    delay = backoff(feed.failure_count)
    if got is not None:
        delay = min(MAX_INTERVAL, max(delay, _retry_after(got, now)))
    feed.last_polled_at = now
    feed.next_poll_at = now + timedelta(seconds=delay)
    feed.claimed_until = None
    feed.not_modified_count = 0  # counted since the last logged poll: this one
    if feed.status == Feed.Status.BROKEN and not feed.failing_notified:
        _tell_subscribers(feed)
        feed.failing_notified = True
    feed.save()
    return _log(feed, FetchLog.Outcome.ERROR, got, started, error=reason)


def backoff(failures: int) -> int:
    """Seconds before retrying after this many failures in a row: doubling, jittered, bounded."""
    base = MIN_INTERVAL * 2 ** min(max(failures - 1, 0), 10)
    return int(min(MAX_INTERVAL, max(MIN_INTERVAL, base * random.uniform(0.75, 1.25))))


def _adapted(interval: int, changed: bool, max_age: int) -> int:
    """Poll more often when the feed changes, less when it does not; honour max-age."""
    interval = interval // 2 if changed else int(interval * 1.5)
    interval = max(interval, max_age)
    return max(MIN_INTERVAL, min(MAX_INTERVAL, interval))


def _max_age(got: Fetched) -> int:
    """Cache-Control max-age in seconds (0 when absent or unreadable)."""
    for part in got.headers.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and value.strip().isdigit():
            return min(int(value.strip()), MAX_INTERVAL)
    return 0


def _retry_after(got: Fetched, now: datetime) -> int:
    """Retry-After in seconds, as a number or an HTTP date (0 when absent)."""
    value = got.headers.get("retry-after", "").strip()
    if not value:
        return 0
    if value.isdigit():
        return min(int(value), MAX_INTERVAL)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0
    if when.tzinfo is None:
        return 0
    return max(0, min(int((when - now).total_seconds()), MAX_INTERVAL))


def _tell_subscribers(feed: Feed) -> None:
    """Each subscriber hears once per failing episode that the feed keeps failing, and why."""
    url = reverse("feeds:settings")
    for sub in Subscription.objects.filter(feed=feed).select_related("person"):
        notify(
            sub.person,
            None,
            Notification.Kind.FEED_FAILING,
            url=url,
            data={"feed": sub.name[:200], "reason": feed.last_error[:300]},
            object_key=f"feed-failing:{feed.pk}:{feed.last_success_at or 'never'}",
        )


def _log(
    feed: Feed,
    outcome: str,
    got: Fetched | None,
    started: float,
    *,
    new: int = 0,
    updated: int = 0,
    error: str = "",
) -> FetchLog:
    entry = FetchLog(
        feed=feed,
        outcome=outcome,
        status_code=got.status if got is not None else None,
        error=error[:500],
        new_items=new,
        updated_items=updated,
        size=len(got.content) if got is not None else 0,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    insert(entry)
    if entry.pk % 10 == 0:  # trimming now and then keeps an unchanged poll cheap
        _trim_log(feed.pk)
    return entry


def _trim_log(feed_id: int) -> None:
    """Keep a feed's newest KEEP_LOG fetches (one statement)."""
    table = FetchLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE feed_id = %s AND id < (SELECT id FROM {table}"
            " WHERE feed_id = %s ORDER BY id DESC LIMIT 1 OFFSET %s)",
            [feed_id, feed_id, KEEP_LOG - 1],
        )
