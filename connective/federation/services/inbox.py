"""The inbox pipeline: size cap → parse → verify the signature and that the key belongs to the
actor → origin checks → domain blocks → store → 202, then process.

Nothing is processed that was not verified. Every refusal is an InboxRefusal with the status to
answer (400 malformed, 401 signature, 403 policy, 413 too large) and a reason that is logged.

With a task queue (`accept`), the request stores the verified activity and answers 202; a task
processes the row (the row is the truth: `sweep` re-enqueues rows whose task was lost), as
Mastodon does. A handler's refusal then marks the row failed instead of answering 400/403.
Processing claims the row in the transaction that runs the handler, so an activity id takes
effect once however often its task runs. When tasks run immediately (tests, no worker), the
request processes in place as before (`process`: store and handle in one transaction, a
handler's refusal rolls everything back and is answered).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation import handlers
from connective.federation.context import BadShape, check_shape
from connective.federation.jsonsafe import BadJSON, TooLarge, parse_json
from connective.federation.models import DomainBlock, InboxActivity
from connective.federation.services import known_keys, outgoing, remote_objects
from connective.federation.signatures import (
    SignatureError,
    SignatureParseError,
    request_key_id,
    verify_request,
)
from connective.federation.wire import Activity, WireError, origin, same_origin

log = logging.getLogger("connective.federation.inbox")

MAX_BODY = 1_048_576  # 1 MiB: far above any real activity, far below a memory problem
SIGNATURE_REQUIRED = True


class InboxRefusal(Exception):
    """A request the inbox refuses: the status to answer and the reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Received:
    """A verified request: the parsed activity, its JSON, the verified actor and the body."""

    activity: Activity
    raw: dict[str, Any]
    actor: Person
    body: bytes = b""


def read_body(request: HttpRequest, cap: int = MAX_BODY) -> bytes:
    """The body, refusing (413) anything over `cap` before reading it all."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise InboxRefusal(400, "Content-Length is not a number") from exc
    if declared > cap:
        raise InboxRefusal(413, f"body of {declared} bytes is over the {cap} byte cap")
    body = request.read(cap + 1)
    if len(body) > cap:
        raise InboxRefusal(413, f"body is over the {cap} byte cap")
    return body


def parse(body: bytes) -> tuple[Activity, dict[str, Any]]:
    """The activity in a body (400 if it is not one we can read literally)."""
    try:
        raw = parse_json(body, max_bytes=MAX_BODY)
        check_shape(raw)
        return Activity.from_dict(raw), raw
    except TooLarge as exc:
        raise InboxRefusal(413, exc.reason) from exc
    except (BadJSON, BadShape) as exc:
        raise InboxRefusal(400, exc.reason) from exc
    except WireError as exc:
        raise InboxRefusal(400, str(exc)) from exc


def _domains(host: str) -> set[str]:
    """The host (without its port) and every parent domain: what a domain block may name."""
    parts = host.lower().split(":")[0].split(".")
    return {".".join(parts[i:]) for i in range(len(parts))}


def _suspended(host: str) -> bool:
    return DomainBlock.objects.filter(
        domain__in=_domains(host), severity=DomainBlock.Severity.SUSPEND
    ).exists()


def _recently_fetched(fetched_at: datetime | None) -> bool:
    """Whether a key was fetched within KEY_REFETCH_AFTER (one that fails is not fetched again)."""
    since = timezone.now() - remote_objects.KEY_REFETCH_AFTER
    return fetched_at is not None and fetched_at > since


def _may_refetch(owner: Person, key_id: str) -> bool:
    """Whether a key that failed to verify may be fetched again: not if it was fetched within
    KEY_REFETCH_AFTER (decided from the row in hand: a bad signature costs no query), nor if a
    refetch of this key was tried that recently and failed (so bad signatures claiming an actor
    whose server does not answer cannot make us fetch on every request)."""
    if _recently_fetched(owner.fetched_at):
        return False
    stamp = owner.fetched_at.isoformat() if owner.fetched_at else "never"
    marker = f"federation:key-refetch:{hashlib.sha256(f'{key_id} {stamp}'.encode()).hexdigest()}"
    return cache.add(marker, 1, timeout=int(remote_objects.KEY_REFETCH_AFTER.total_seconds()))


# What verifying a request and the checks after it read of the key's owner: these columns only,
# with whether its domain is suspended, in one statement. It runs for every inbox request, and
# the ORM's compilation of the same query (with an Exists annotation) cost more than the rest of
# a refused request, so it is written out once here.
OWNER_FIELDS = ("uri", "public_key_pem", "fetched_at", "suspended_at", "domain")


@memoize
def _owner_columns() -> tuple[str, ...]:
    """ "id" and OWNER_FIELDS in the model's order (the order Model.from_db expects them in)."""
    wanted = {"id", *OWNER_FIELDS}
    return tuple(f.attname for f in Person._meta.concrete_fields if f.attname in wanted)


@memoize
def _owner_sql(uris: int, domains: int) -> str:
    people, blocks = Person._meta.db_table, DomainBlock._meta.db_table
    columns = ", ".join(f"p.{name}" for name in _owner_columns())  # plain columns
    return (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {blocks} b"
        f" WHERE b.domain IN ({', '.join(['%s'] * domains)}) AND b.severity = %s)"
        f" AS domain_blocked FROM {people} p WHERE p.uri IN ({', '.join(['%s'] * uris)})"
        " AND p.public_key_pem <> ''"
    )


def _known_owner(key_id: str, key_host: str) -> Person | None:
    """The stored owner of a key (`<actor>#main-key`, or GoToSocial's `<actor>/main-key`) with
    `domain_blocked` set, in one query and without fetching anything."""
    uri = key_id.split("#", 1)[0]
    uris = [uri, uri.removesuffix("/main-key")] if uri.endswith("/main-key") else [uri]
    domains = sorted(_domains(key_host))
    params = [*domains, DomainBlock.Severity.SUSPEND.value, *uris]
    conn = connections[router.db_for_read(Person)]
    with conn.cursor() as cursor:
        cursor.execute(_owner_sql(len(uris), len(domains)), params)
        found = [_owner_from(conn, row) for row in cursor.fetchall()]
    by_uri = {person.uri: person for person in found}
    return next((by_uri[u] for u in uris if u in by_uri), None)


def _owner_from(conn: BaseDatabaseWrapper, row: tuple[Any, ...]) -> Person:
    """A Person with the columns read (the others load if asked for) and `domain_blocked`."""
    names = _owner_columns()
    values = dict(zip(names, row[: len(names)], strict=True))
    # SQLite gives naive UTC datetimes; the backend's own converter makes them aware.
    convert = getattr(conn.ops, "convert_datetimefield_value", None)
    for name in ("fetched_at", "suspended_at"):
        if convert is not None and values[name] is not None:
            values[name] = convert(values[name], None, conn)
    person = Person.from_db(conn.alias, list(names), list(values.values()))
    person.domain_blocked = bool(row[-1])  # type: ignore[attr-defined]
    return person


def _owner(key_id: str, key_host: str) -> Person | None:
    """The key's owner: the stored one, else fetched (never from a blocked domain)."""
    owner = _known_owner(key_id, key_host)
    if owner is None:
        if _suspended(key_host):
            raise InboxRefusal(403, "the signing key's domain is blocked")
        owner = remote_objects.key_owner(key_id)
    return owner


def _blocked(actor: Person) -> bool:
    """Whether the actor or its domain is suspended (the domain from the owner's query when it
    came from there, a query otherwise)."""
    if actor.suspended_at is not None:
        return True
    known = getattr(actor, "domain_blocked", None)
    return bool(known) if known is not None else _suspended(origin(actor.uri)[1])


_Check = Callable[[str], None]  # checks the request's signature against a public key (PEM)


def _verify(
    request: HttpRequest, headers: dict[str, str], body: bytes, key_id: str, now: datetime
) -> Person:
    """The key's owner, once the signature checks out (one refetch if the key has changed)."""
    scheme = "https" if settings.CONNECTIVE_SITE_URL.startswith("https") else "http"
    method, path = request.method or "POST", request.get_full_path()

    def check(pem: str) -> None:
        verify_request(method, path, headers, body, pem, now=now, scheme=scheme)

    verified = _check_known(check, key_id)
    key_host = origin(key_id)[1]
    owner = _owner(key_id, key_host)
    if owner is not None and owner.public_key_pem:
        known_keys.put(key_id, owner.public_key_pem, owner.fetched_at)
    for attempt in (1, 2):
        if owner is None or not owner.public_key_pem:
            raise InboxRefusal(401, "the signing key's owner cannot be found")
        try:
            if owner.public_key_pem != verified:  # checked already against this very key
                check(owner.public_key_pem)
            return owner
        except SignatureParseError as exc:
            raise InboxRefusal(400, exc.reason) from exc
        except SignatureError as exc:
            if attempt == 2 or "verify" not in exc.reason or not _may_refetch(owner, key_id):
                raise InboxRefusal(401, exc.reason) from exc
            if _suspended(key_host):
                raise InboxRefusal(403, "the signing key's domain is blocked") from exc
            known_keys.forget(key_id)
            owner = remote_objects.key_owner(key_id, refresh=True)  # the key may have rotated
    raise InboxRefusal(401, "signature does not verify")  # pragma: no cover


def _check_known(check: _Check, key_id: str) -> str:
    """Check the request against the key this process read lately for key_id (known_keys), if
    any: the key when it verifies (the owner's row is still read before accepting), "" when the
    row must decide, or an InboxRefusal that a fresh read would give too: a malformed or stale
    signature, or bytes that do not verify against a key fetched too lately to fetch again."""
    known = known_keys.get(key_id)
    if known is None:
        return ""
    try:
        check(known.public_key_pem)
        return known.public_key_pem
    except SignatureParseError as exc:
        raise InboxRefusal(400, exc.reason) from exc
    except SignatureError as exc:
        if "verify" in exc.reason and not _recently_fetched(known.fetched_at):
            return ""  # the key may have rotated: the row, and perhaps a refetch, decide
        raise InboxRefusal(401, exc.reason) from exc


def check_origins(activity: Activity) -> None:
    """The activity's id and any embedded object's id share the actor's origin (T-04)."""
    if not same_origin(activity.id, activity.actor):
        raise InboxRefusal(403, "the activity id is not on the actor's server")
    embedded = activity.embedded
    if embedded is None or activity.type in ("Accept", "Reject", "Announce"):
        return  # these embed another party's activity or object; handlers check them
    object_id = activity.object_id
    if object_id and not same_origin(object_id, activity.actor):
        raise InboxRefusal(403, "the object's id is not on the actor's server")
    attributed = embedded.get("attributedTo")
    if isinstance(attributed, str) and not same_origin(attributed, activity.actor):
        raise InboxRefusal(403, "the object is attributed to another server")


def authenticate(request: HttpRequest, *, now: datetime | None = None) -> Received:
    """Run the checks up to and including the origin and block checks."""
    body = read_body(request)
    activity, raw = parse(body)
    headers = dict(request.headers)  # once: HttpHeaders rebuilds every name from META
    try:
        key_id = request_key_id(headers)
    except SignatureParseError as exc:
        raise InboxRefusal(400, exc.reason) from exc
    except SignatureError as exc:
        raise InboxRefusal(401, exc.reason) from exc
    actor = _verify(request, headers, body, key_id, now or timezone.now())
    if actor.uri != activity.actor:
        raise InboxRefusal(401, "the key does not belong to the activity's actor")
    check_origins(activity)
    if actor.is_local:
        raise InboxRefusal(403, "a local actor does not post to its own server's inbox")
    if _blocked(actor):
        raise InboxRefusal(403, "the actor's domain or account is blocked")
    return Received(activity, raw, actor, body)


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
        if actor is None or actor.suspended_at is not None or _suspended(origin(actor.uri)[1]):
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
