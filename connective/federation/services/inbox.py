"""The inbox pipeline: size cap → parse → verify the signature and that the key belongs to the
actor → origin checks → domain blocks → store → process → 202.

Nothing is processed that was not verified. Every refusal is an InboxRefusal with the status to
answer (400 malformed, 401 signature, 403 policy, 413 too large) and a reason that is logged.
Storing and processing share one transaction: the InboxActivity's unique activity id makes a
replay (or a concurrent duplicate) a no-op, and a handler's refusal rolls everything back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation import handlers
from connective.federation.context import BadShape, check_shape
from connective.federation.jsonsafe import BadJSON, TooLarge, parse_json
from connective.federation.models import DomainBlock, InboxActivity
from connective.federation.services import outgoing, remote_objects
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
    """A verified request: the parsed activity, its JSON and the verified actor."""

    activity: Activity
    raw: dict[str, Any]
    actor: Person


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


def _suspended(host: str) -> bool:
    host = host.lower().split(":")[0]
    parts = host.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts))}
    return DomainBlock.objects.filter(
        domain__in=candidates, severity=DomainBlock.Severity.SUSPEND
    ).exists()


def _fresh(owner: Person) -> bool:
    """Whether the owner's key was fetched too recently to fetch again (the same rule as
    remote_objects.key_owner's, decided from the row in hand: a bad signature costs no query)."""
    since = timezone.now() - remote_objects.KEY_REFETCH_AFTER
    return owner.fetched_at is not None and owner.fetched_at > since


def _verify(request: HttpRequest, body: bytes, key_id: str, now: datetime) -> Person:
    """The key's owner, once the signature checks out (one refetch if the key has changed)."""
    scheme = "https" if settings.CONNECTIVE_SITE_URL.startswith("https") else "http"
    path = request.get_full_path()
    owner = remote_objects.key_owner(key_id)
    for attempt in (1, 2):
        if owner is None or not owner.public_key_pem:
            raise InboxRefusal(401, "the signing key's owner cannot be found")
        try:
            verify_request(
                request.method or "POST",
                path,
                request.headers,
                body,
                owner.public_key_pem,
                now=now,
                scheme=scheme,
            )
            return owner
        except SignatureParseError as exc:
            raise InboxRefusal(400, exc.reason) from exc
        except SignatureError as exc:
            if attempt == 2 or "verify" not in exc.reason or _fresh(owner):
                raise InboxRefusal(401, exc.reason) from exc
            owner = remote_objects.key_owner(key_id, refresh=True)  # the key may have rotated
    raise InboxRefusal(401, "signature does not verify")  # pragma: no cover


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
    try:
        key_id = request_key_id(request.headers)
    except SignatureParseError as exc:
        raise InboxRefusal(400, exc.reason) from exc
    except SignatureError as exc:
        raise InboxRefusal(401, exc.reason) from exc
    key_host = origin(key_id)[1]
    if _suspended(key_host):
        raise InboxRefusal(403, "the signing key's domain is blocked")
    actor = _verify(request, body, key_id, now or timezone.now())
    if actor.uri != activity.actor:
        raise InboxRefusal(401, "the key does not belong to the activity's actor")
    check_origins(activity)
    if actor.is_local:
        raise InboxRefusal(403, "a local actor does not post to its own server's inbox")
    actor_host = origin(actor.uri)[1]
    if actor.suspended_at is not None or (actor_host != key_host and _suspended(actor_host)):
        raise InboxRefusal(403, "the actor's domain or account is blocked")
    return Received(activity, raw, actor)


def process(received: Received) -> str:
    """Store the activity once and run its handler; returns the stored state."""
    activity, actor = received.activity, received.actor
    handler = handlers.handler_for(activity)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = InboxActivity.objects.create(
                        activity_id=activity.id,
                        actor_uri=actor.uri,
                        type=activity.type[:64],
                        raw=received.raw,
                    )
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
