"""Durable delivery: one Delivery row per activity and inbox, attempted by tasks, retried with
capped exponential backoff and jitter, stopped for good by a 410, and kept away from hosts that
keep failing (a circuit breaker per host) so one dead server never delays the others.

The row is the truth. An attempt first claims the row with a short lease (a conditional update),
so a task that runs twice, or a sweep that finds a row whose task died, sends at most once at a
time; a delivered row is never sent again.

Rows are attempted in batches (one task per BATCH rows of an activity): one statement claims
them and returns what an attempt needs (UPDATE … RETURNING), two look up gone inboxes and open
circuits, the sends run on a few threads (`deliver_http`: a slow host holds one thread, not the
batch's others), and the successes are recorded with one update per table. The body is
serialised once per activity; each inbox still gets its own signature, as the signed headers
name its host and path.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.db import connections, models, router, transaction
from django.db.models import F
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation.keys import ensure_keys
from connective.federation.models import Delivery, HostHealth, InboxHealth
from connective.federation.services.deliver_http import send_all, succeeded

log = logging.getLogger("connective.federation.delivery")

MAX_ATTEMPTS = 8  # as Mastodon; the last retry comes about a day after the first try
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=12)
LEASE = timedelta(minutes=5)  # a claimed row is left alone this long (the fetch deadline is 10 s)
CIRCUIT_THRESHOLD = 5  # consecutive failures at a host before its deliveries wait
CIRCUIT_MAX_OPEN = timedelta(hours=1)
BATCH = 50  # rows per task


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
    gone = gone_inboxes(urls)
    urls = [u for u in urls if u not in gone]
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
    from connective.federation.tasks import deliver_batch

    for start in range(0, len(ids), BATCH):
        deliver_batch.enqueue(ids[start : start + BATCH])


def schedule(pk: int, run_after: datetime | None = None) -> None:
    """Enqueue the task for one delivery (deferred when the queue supports it; otherwise the
    sweep finds the row when it is due)."""
    from connective.federation.tasks import deliver

    if run_after is None:
        deliver.enqueue(pk)
        return
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=run_after).enqueue(pk)


@dataclass
class _Row:
    """A claimed delivery: the columns an attempt needs, its document and its sender."""

    pk: int
    activity_id: str
    sender_id: int
    inbox_url: str
    attempts: int
    activity: Any = None
    sender: Person = None  # type: ignore[assignment]
    state: str = Delivery.State.PENDING


def _columns(model: type[models.Model]) -> dict[str, str]:
    return {field.name: str(field.column) for field in model._meta.concrete_fields}


@cache
def _claim_sql(count: int) -> str:
    """Take the due, pending rows among `count` ids and give back what an attempt needs, in one
    statement (SQLite ≥ 3.35 and PostgreSQL both have UPDATE … RETURNING)."""
    column = _columns(Delivery)
    back = ", ".join(
        column[name] for name in ("id", "activity_id", "sender", "inbox_url", "attempts")
    )
    return (
        f"UPDATE {Delivery._meta.db_table} SET {column['next_attempt_at']} = %s"
        f" WHERE {column['id']} IN ({', '.join(['%s'] * count)}) AND {column['state']} = %s"
        f" AND {column['next_attempt_at']} <= %s RETURNING {back}, {column['activity']}"
    )


def _claim(pks: list[int], now: datetime) -> list[_Row]:
    """Take the due, pending rows of `pks` for one attempt (those not due, done or already taken
    are left out): their lease runs LEASE from now.

    One statement claims the rows and returns what an attempt needs (the ORM would update, then
    select again, and build a model instance per row); each activity's document is decoded and
    each sender read once for the batch (a post's rows share both)."""
    if not pks:
        return []
    conn = connections[router.db_for_write(Delivery)]
    adapt = conn.ops.adapt_datetimefield_value
    params = [adapt(now + LEASE), *pks, Delivery.State.PENDING.value, adapt(now)]
    with conn.cursor() as cursor:
        cursor.execute(_claim_sql(len(pks)), params)
        found = sorted(cursor.fetchall())
    if not found:
        return []
    documents: dict[str, Any] = {}
    rows = []
    for *values, document in found:
        row = _Row(*values)
        if row.activity_id not in documents:
            # text on both backends (Django has psycopg hand jsonb over undecoded)
            documents[row.activity_id] = (
                json.loads(document) if isinstance(document, str) else document
            )
        row.activity = documents[row.activity_id]
        rows.append(row)
    senders = Person.objects.in_bulk({row.sender_id for row in rows})
    for row in rows:
        row.sender = senders[row.sender_id]
    return rows


@cache
def _health_sql(urls: int, hosts: int) -> str:
    """The health rows of a batch's inboxes and hosts, in one statement."""
    inbox, host = _columns(InboxHealth), _columns(HostHealth)
    return (
        f"SELECT 0, {inbox['url']}, {inbox['gone_at']} FROM {InboxHealth._meta.db_table}"
        f" WHERE {inbox['url']} IN ({', '.join(['%s'] * urls)}) UNION ALL"
        f" SELECT 1, {host['host']}, {host['open_until']} FROM {HostHealth._meta.db_table}"
        f" WHERE {host['host']} IN ({', '.join(['%s'] * hosts)})"
    )


def _health(rows: list[_Row], now: datetime) -> _Health:
    """What the batch needs to know of its inboxes and hosts: gone inboxes, open circuits, and
    which of them have a health row at all (rows exist only once something failed)."""
    urls = sorted({row.inbox_url for row in rows})
    hosts = sorted({host_of(url) for url in urls})
    conn = connections[router.db_for_read(InboxHealth)]
    with conn.cursor() as cursor:
        cursor.execute(_health_sql(len(urls), len(hosts)), [*urls, *hosts])
        found = cursor.fetchall()
    # SQLite gives naive UTC text; the backend's own converter makes it an aware datetime.
    convert = getattr(conn.ops, "convert_datetimefield_value", None)
    when = {}
    for kind, key, moment in found:
        if moment is not None and convert is not None:
            moment = convert(moment, None, conn)
        when[kind, key] = moment
    inboxes = {key: moment for (kind, key), moment in when.items() if kind == 0}
    host_rows = {key: moment for (kind, key), moment in when.items() if kind == 1}
    return _Health(
        gone={url for url, gone_at in inboxes.items() if gone_at is not None},
        open_hosts={h: until for h, until in host_rows.items() if until and until > now},
        inboxes=set(inboxes),
        hosts=set(host_rows),
    )


@dataclass(frozen=True)
class _Health:
    gone: set[str]
    open_hosts: dict[str, datetime]
    inboxes: set[str]
    hosts: set[str]


def _farewell(row: Delivery | _Row) -> bool:
    """The Delete of a deleted account's own actor: the one thing it still sends."""
    doc = row.activity or {}
    return (
        row.sender.deleted_at is not None
        and doc.get("type") == "Delete"
        and doc.get("object") == row.sender.uri
    )


def attempt(pk: int, *, now: datetime | None = None) -> str:
    """Try one delivery once; returns the row's state afterwards (or "skipped")."""
    return attempt_many([pk], now=now).get(pk, "skipped")


def attempt_many(pks: list[int], *, now: datetime | None = None) -> dict[int, str]:
    """Try each of these deliveries once; the state of each row attempted (absent: skipped)."""
    now = now or timezone.now()
    rows = _claim(pks, now)
    if not rows:
        return {}
    health = _health(rows, now)
    states: dict[int, str] = {}
    sendable: list[_Row] = []
    for row in rows:
        open_until = health.open_hosts.get(host_of(row.inbox_url))
        if row.inbox_url in health.gone:
            states[row.pk] = _finish(row, Delivery.State.GONE, "the inbox is gone (410)")
        elif row.sender.suspended_at is not None and not _farewell(row):
            # T-34: a suspended account sends nothing more (but the Delete of a deleted account)
            states[row.pk] = _finish(row, Delivery.State.FAILED, "the sender is suspended")
        elif open_until is not None:  # the host keeps failing: wait without spending an attempt
            Delivery.objects.filter(pk=row.pk).update(next_attempt_at=open_until)
            schedule(row.pk, open_until)
            states[row.pk] = row.state
        else:
            sendable.append(row)
    states.update(_send_all(sendable, health, now))
    return states


def _send_all(rows: list[_Row], health: _Health, now: datetime) -> dict[int, str]:
    """Sign and send the rows (on threads when there are several, reusing connections to the
    same host within the batch) and record the outcomes."""
    if not rows:
        return {}
    senders = {row.sender_id: ensure_keys(row.sender) for row in rows}  # DB work stays here
    bodies: dict[str, bytes] = {}
    jobs = []
    for row in rows:
        if row.activity_id not in bodies:
            bodies[row.activity_id] = json.dumps(row.activity, separators=(",", ":")).encode()
        jobs.append((row.inbox_url, bodies[row.activity_id], senders[row.sender_id]))
    results = send_all(jobs)
    ok = [row for row, (status, _) in zip(rows, results, strict=True) if succeeded(status)]
    states = _record_successes(ok, health, now)
    for row, (status, error) in zip(rows, results, strict=True):
        if not succeeded(status):
            states[row.pk] = _record(row, status, error, now)
    return states


def _record_successes(rows: list[_Row], health: _Health, now: datetime) -> dict[int, str]:
    """Mark delivered rows done, and the hosts and inboxes among them that had failed healthy
    again: one update per table (none for the health tables when nothing there had failed)."""
    if not rows:
        return {}
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        state=Delivery.State.DONE,
        attempts=F("attempts") + 1,
        last_error="",
        done_at=timezone.now(),
        next_attempt_at=None,
    )
    hosts = {host_of(row.inbox_url) for row in rows} & health.hosts
    if hosts:
        HostHealth.objects.filter(host__in=hosts).update(
            consecutive_failures=0, open_until=None, last_success_at=now
        )
    urls = {row.inbox_url for row in rows} & health.inboxes
    if urls:
        InboxHealth.objects.filter(url__in=urls).update(failures=0, last_success_at=now)
    return {row.pk: Delivery.State.DONE for row in rows}


def _record(row: _Row, status: int | None, error: str, now: datetime) -> str:
    host = host_of(row.inbox_url)
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


def _finish(row: _Row, state: str, error: str, *, attempts: int | None = None) -> str:
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
    due = list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    _schedule_all(due)
    return len(due)
