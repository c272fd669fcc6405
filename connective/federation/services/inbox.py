"""The inbox after its checks (`inbox_verify`): store the verified activity → 202, then process.

Nothing is processed that was not verified: only a Received (what passed the checks) is stored.

With a task queue (`accept`), the request stores the verified activity and answers 202; a task
processes the row (the row is the truth: `sweep` re-enqueues rows whose task was lost), as
Mastodon does. A handler's refusal then marks the row failed instead of answering 400/403.
Processing claims the row in the transaction that runs the handler, so an activity id takes
effect once however often its task runs. When tasks run immediately (tests, no worker), the
request processes in place as before (`process`: store and handle in one transaction, a
handler's refusal rolls everything back and is answered).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import timedelta
from functools import cache as memoize

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation import handlers
from connective.federation.models import InboxActivity
from connective.federation.services import outgoing, remote_objects
from connective.federation.services.inbox_verify import InboxRefusal, Received, domain_suspended
from connective.federation.wire import Activity, WireError, origin

log = logging.getLogger("connective.federation.inbox")


def deferred() -> bool:
    """Whether activities are processed by a task after the 202 (a real queue) or in the
    request (tasks that run immediately: tests and installs without a worker)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from connective.federation.tasks import process_inbox

    return not isinstance(process_inbox.get_backend(), ImmediateBackend)


def accept(received: Received) -> str:
    """Store the verified activity and have a task process it ("received"); in place when tasks
    run immediately. "duplicate" for an activity id already stored."""
    if not deferred():
        return process(_with_whole_actor(received))
    pk = _insert(received)
    if pk is None:
        return "duplicate"
    transaction.on_commit(lambda: _schedule(pk))
    return InboxActivity.State.RECEIVED


@memoize
def _insert_sql(vendor: str) -> str:
    table = InboxActivity._meta.db_table
    column = {field.name: str(field.column) for field in InboxActivity._meta.concrete_fields}
    names = ("activity_id", "actor_uri", "type", "raw", "received_at", "state", "error")
    values = ["%s"] * len(names)
    if vendor == "postgresql":
        values[names.index("raw")] = "%s::jsonb"
    return (
        f"INSERT INTO {table} ({', '.join(column[name] for name in names)})"
        f" VALUES ({', '.join(values)}) ON CONFLICT ({column['activity_id']}) DO NOTHING"
        f" RETURNING {column['id']}"
    )


def _insert(received: Received) -> int | None:
    """Store the row as it came, in one statement (atomic on its own; a duplicate activity id
    inserts nothing and spoils no surrounding transaction): its id, or None for a duplicate.

    The body is stored as received, the bytes whose digest was verified: it was parsed and
    checked as strict JSON already, so it needs no second serialisation, and the row no model
    instance (the ORM's share of an accepted request was about a quarter)."""
    conn = connections[router.db_for_write(InboxActivity)]
    params = [
        received.activity.id,
        received.actor.uri,
        received.activity.type[:64],
        received.body.decode("utf-8"),
        conn.ops.adapt_datetimefield_value(timezone.now()),
        InboxActivity.State.RECEIVED.value,
        "",
    ]
    with conn.cursor() as cursor:
        cursor.execute(_insert_sql(conn.vendor), params)
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _with_whole_actor(received: Received) -> Received:
    """The handlers work on the whole Person, not the few columns verification read."""
    if not received.actor.get_deferred_fields():
        return received
    return replace(received, actor=Person.objects.get(pk=received.actor.pk))


# Stored activities are processed in batches: a request enqueues a drain task due DRAIN_AFTER
# later unless this process already enqueued one that has not run yet, so a burst of activities
# costs one task, not one each. Every row stored before a drain's due time is committed before
# it runs (the insert commits at once); a drain lost with its worker leaves its rows to `sweep`.
DRAIN_AFTER = timedelta(seconds=1)
DRAIN_LIMIT = 500
_drain_due = [0.0]
_drain_lock = threading.Lock()


def _schedule(pk: int) -> None:
    """Have the stored row processed: by the next drain of this process, or by its own task
    when the queue cannot defer."""
    from connective.federation.tasks import drain_inbox, process_inbox

    if not drain_inbox.get_backend().supports_defer:
        process_inbox.enqueue(pk)
        return
    now = time.monotonic()
    with _drain_lock:
        if now < _drain_due[0]:
            return  # a drain due after this row's commit is already queued
        _drain_due[0] = now + DRAIN_AFTER.total_seconds()
    drain_inbox.using(run_after=timezone.now() + DRAIN_AFTER).enqueue()


def drain(limit: int = DRAIN_LIMIT) -> int:
    """Process the stored activities still waiting, oldest first (the drain task); how many were
    taken. A full batch enqueues the next drain at once."""
    pks = list(
        InboxActivity.objects.filter(processed_at__isnull=True)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pks:
        process_stored(pk)
    if len(pks) == limit:
        from connective.federation.tasks import drain_inbox

        drain_inbox.enqueue()
    return len(pks)


def _store(received: Received) -> InboxActivity:
    return InboxActivity.objects.create(
        activity_id=received.activity.id,
        actor_uri=received.actor.uri,
        type=received.activity.type[:64],
        raw=received.raw,
    )


def process_stored(pk: int) -> str:
    """Process a stored activity once (the task); its state afterwards, or "skipped" if it was
    already processed or taken."""
    with transaction.atomic():
        claimed = InboxActivity.objects.filter(pk=pk, processed_at__isnull=True).update(
            processed_at=timezone.now()
        )
        row = InboxActivity.objects.filter(pk=pk).first() if claimed else None
        if row is None:
            return "skipped"
        actor = Person.objects.filter(uri=row.actor_uri).first()
        try:
            activity = Activity.from_dict(row.raw)
        except WireError as exc:
            return _failed(row, str(exc))
        if (
            actor is None
            or actor.suspended_at is not None
            or domain_suspended(origin(actor.uri)[1])
        ):
            return _failed(row, "the actor is gone or blocked")
        try:
            _run(row, handlers.handler_for(activity), activity, actor)
        except (handlers.BadActivity, handlers.Forbidden) as exc:
            return _failed(row, exc.reason)
    return row.state


def _failed(row: InboxActivity, reason: str) -> str:
    row.state, row.error, row.processed_at = InboxActivity.State.FAILED, reason, timezone.now()
    row.save(update_fields=["state", "error", "processed_at"])
    return row.state


def sweep(limit: int = 500, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Enqueue stored activities still unprocessed a while after they arrived (a lost task)."""
    if not deferred():
        return 0
    from connective.federation.tasks import process_inbox

    due = list(
        InboxActivity.objects.filter(
            processed_at__isnull=True, received_at__lt=timezone.now() - older_than
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        process_inbox.enqueue(pk)
    return len(due)


def process(received: Received) -> str:
    """Store the activity once and run its handler; returns the stored state."""
    activity, actor = received.activity, received.actor
    handler = handlers.handler_for(activity)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = _store(received)
            except IntegrityError:
                return "duplicate"
            _run(row, handler, activity, actor)
    except handlers.BadActivity as exc:
        raise InboxRefusal(400, exc.reason) from exc
    except handlers.Forbidden as exc:
        raise InboxRefusal(403, exc.reason) from exc
    return row.state


def _run(
    row: InboxActivity, handler: handlers.Handler | None, activity: Activity, actor: Person
) -> None:
    """Run the handler on a stored row and record the outcome (Forbidden propagates)."""
    row.state, row.error = InboxActivity.State.PROCESSED, ""
    if handler is None:
        row.state, row.error = InboxActivity.State.IGNORED, "no handler for this type"
    else:
        try:
            with transaction.atomic(), remote_objects.fetch_budget(), outgoing.inbound(actor):
                handler(activity, actor)
        except handlers.Ignored as exc:
            row.state, row.error = InboxActivity.State.IGNORED, exc.reason
        except handlers.Forbidden:
            raise
        except Exception as exc:  # a bug or a remote fault: recorded, never a 500
            log.exception("inbox handler failed for %s", activity.id[:200])
            row.state, row.error = InboxActivity.State.FAILED, f"{type(exc).__name__}: {exc}"
    row.processed_at = timezone.now()
    row.save(update_fields=["state", "error", "processed_at"])
