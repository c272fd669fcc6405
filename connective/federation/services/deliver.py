"""Durable delivery: one Delivery row per activity and inbox, attempted by tasks, retried with
capped exponential backoff and jitter, stopped for good by a 410, and kept away from hosts that
keep failing (a circuit breaker per host) so one dead server never delays the others.

The row is the truth. An attempt first claims the row with a short lease (a conditional update),
so a task that runs twice, or a sweep that finds a row whose task died, sends at most once at a
time; a delivered row is never sent again.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from connective.accounts.models import Person
from connective.core.http import FetchError, fetch
from connective.federation.keys import ensure_keys, key_id
from connective.federation.models import Delivery, HostHealth, InboxHealth
from connective.federation.signatures import sign_request

log = logging.getLogger("connective.federation.delivery")

MAX_ATTEMPTS = 8  # as Mastodon; the last retry comes about a day after the first try
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=12)
LEASE = timedelta(minutes=5)  # a claimed row is left alone this long (the fetch deadline is 10 s)
CIRCUIT_THRESHOLD = 5  # consecutive failures at a host before its deliveries wait
CIRCUIT_MAX_OPEN = timedelta(hours=1)
TIMEOUT = 10.0
CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def host_of(url: str) -> str:
    """The host (with port) a delivery goes to: what failures are counted against."""
    return urlsplit(url).netloc.lower()


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: doubling, capped, jittered."""
    delay = min(MAX_DELAY, BASE_DELAY * (2 ** max(attempts - 1, 0)))
    return delay * random.uniform(0.75, 1.0)


def gone_inboxes(urls: Iterable[str]) -> set[str]:
    """Those of `urls` that answered 410 Gone (never delivered to again)."""
    return set(
        InboxHealth.objects.filter(url__in=list(urls), gone_at__isnull=False).values_list(
            "url", flat=True
        )
    )


def enqueue(activity: dict[str, Any], sender: Person, inbox_urls: Iterable[str]) -> list[int]:
    """Create one pending Delivery per inbox (once: a repeat is ignored) and schedule each after
    the surrounding transaction commits. Returns the ids of the pending rows."""
    urls = list(dict.fromkeys(u for u in inbox_urls if u))
    urls = [u for u in urls if u not in gone_inboxes(urls)]
    if not urls:
        return []
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                activity_id=activity["id"],
                activity=activity,
                sender=sender,
                inbox_url=url,
                next_attempt_at=now,
            )
            for url in urls
        ],
        ignore_conflicts=True,
    )
    ids = list(
        Delivery.objects.filter(
            activity_id=activity["id"], inbox_url__in=urls, state=Delivery.State.PENDING
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _schedule_all(ids))
    return ids


def _schedule_all(ids: list[int]) -> None:
    for pk in ids:
        schedule(pk)


def schedule(pk: int, run_after: datetime | None = None) -> None:
    """Enqueue the task for one delivery (deferred when the queue supports it; otherwise the
    sweep finds the row when it is due)."""
    from connective.federation.tasks import deliver

    if run_after is None:
        deliver.enqueue(pk)
        return
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=run_after).enqueue(pk)


def _claim(pk: int, now: datetime) -> Delivery | None:
    """Take a due, pending row for one attempt; None if it is not due, done or already taken."""
    claimed = Delivery.objects.filter(
        pk=pk, state=Delivery.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    return Delivery.objects.select_related("sender").get(pk=pk)


def _host_open_until(host: str, now: datetime) -> datetime | None:
    health = HostHealth.objects.filter(host=host, open_until__gt=now).first()
    return health.open_until if health else None


def _farewell(row: Delivery) -> bool:
    """The Delete of a deleted account's own actor: the one thing it still sends."""
    doc = row.activity or {}
    return (
        row.sender.deleted_at is not None
        and doc.get("type") == "Delete"
        and doc.get("object") == row.sender.uri
    )


def attempt(pk: int, *, now: datetime | None = None) -> str:
    """Try one delivery once; returns the row's state afterwards (or "skipped")."""
    now = now or timezone.now()
    row = _claim(pk, now)
    if row is None:
        return "skipped"
    if gone_inboxes([row.inbox_url]):
        return _finish(row, Delivery.State.GONE, "the inbox is gone (410)")
    if row.sender.suspended_at is not None and not _farewell(row):
        # T-34: a suspended account sends nothing more (but the Delete of a deleted account)
        return _finish(row, Delivery.State.FAILED, "the sender is suspended")
    host = host_of(row.inbox_url)
    open_until = _host_open_until(host, now)
    if open_until is not None:  # the host keeps failing: wait without spending an attempt
        Delivery.objects.filter(pk=row.pk).update(next_attempt_at=open_until)
        schedule(row.pk, open_until)
        return row.state
    status, error = _post(row)
    return _record(row, status, error, now)


def _post(row: Delivery) -> tuple[int | None, str]:
    """Sign and send; (status, "") or (None, reason)."""
    sender = ensure_keys(row.sender)
    body = json.dumps(row.activity, separators=(",", ":")).encode()
    headers = sign_request(
        "POST",
        row.inbox_url,
        {"Content-Type": CONTENT_TYPE, "Accept": "application/activity+json"},
        body,
        key_id(sender),
        sender.private_key_pem,
    )
    try:
        response = fetch(
            row.inbox_url,
            method="POST",
            headers=headers,
            content=body,
            timeout=TIMEOUT,
            max_redirects=0,
            max_bytes=64 * 1024,
        )
    except FetchError as exc:
        return None, str(exc)
    return response.status, "" if 200 <= response.status < 300 else f"HTTP {response.status}"


def _record(row: Delivery, status: int | None, error: str, now: datetime) -> str:
    host = host_of(row.inbox_url)
    if status is not None and 200 <= status < 300:
        _host_succeeded(host, row.inbox_url, now)
        return _finish(row, Delivery.State.DONE, "")
    if status == 410:
        InboxHealth.objects.update_or_create(
            url=row.inbox_url, defaults={"host": host, "gone_at": now, "last_error": error}
        )
        return _finish(row, Delivery.State.GONE, error)
    attempts = row.attempts + 1
    if status is not None and 400 <= status < 500 and status not in (408, 429):
        # The remote refuses this activity itself (Mastodon gives up on these too).
        return _finish(row, Delivery.State.FAILED, error, attempts=attempts)
    _host_failed(host, row.inbox_url, error, now)
    if attempts >= MAX_ATTEMPTS:
        return _finish(row, Delivery.State.FAILED, error, attempts=attempts)
    next_at = now + backoff(attempts)
    Delivery.objects.filter(pk=row.pk).update(
        attempts=attempts, next_attempt_at=next_at, last_error=error[:1000]
    )
    log.info("delivery %s to %s failed (%s); retry at %s", row.pk, row.inbox_url, error, next_at)
    schedule(row.pk, next_at)
    return Delivery.State.PENDING


def _finish(row: Delivery, state: str, error: str, *, attempts: int | None = None) -> str:
    Delivery.objects.filter(pk=row.pk).update(
        state=state,
        attempts=row.attempts + 1 if attempts is None else attempts,
        last_error=error[:1000],
        done_at=timezone.now() if state == Delivery.State.DONE else None,
        next_attempt_at=None,
    )
    if state != Delivery.State.DONE:
        log.info("delivery %s to %s ended %s: %s", row.pk, row.inbox_url, state, error)
    return state


def _host_succeeded(host: str, url: str, now: datetime) -> None:
    HostHealth.objects.filter(host=host).update(
        consecutive_failures=0, open_until=None, last_success_at=now
    )
    InboxHealth.objects.filter(url=url).update(failures=0, last_success_at=now)


def _host_failed(host: str, url: str, error: str, now: datetime) -> None:
    health, _ = HostHealth.objects.get_or_create(host=host)
    HostHealth.objects.filter(pk=health.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
    )
    health.refresh_from_db()
    if health.consecutive_failures >= CIRCUIT_THRESHOLD:
        extra = health.consecutive_failures - CIRCUIT_THRESHOLD
        wait = min(CIRCUIT_MAX_OPEN, BASE_DELAY * (2**extra))
        HostHealth.objects.filter(pk=health.pk).update(open_until=now + wait)
    InboxHealth.objects.update_or_create(url=url, defaults={"host": host, "last_error": error})
    InboxHealth.objects.filter(url=url).update(failures=F("failures") + 1)


def sweep(limit: int = 500) -> int:
    """Schedule pending deliveries that are due (retries, and rows whose task was lost)."""
    due = Delivery.objects.filter(
        state=Delivery.State.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    count = 0
    for pk in due:
        schedule(pk)
        count += 1
    return count
