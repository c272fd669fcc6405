"""The inbox's checks, run in the request before anything is stored: size cap → parse → verify
the signature and that the key belongs to the actor → origin checks → domain blocks.

Every refusal is an InboxRefusal with the status to answer (400 malformed, 401 signature, 403
policy, 413 too large) and a reason that is logged. What passes is a Received, which `inbox`
stores and processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation.context import BadShape, check_shape
from connective.federation.jsonsafe import BadJSON, TooLarge, parse_json
from connective.federation.models import DomainBlock
from connective.federation.services import known_keys, remote_objects
from connective.federation.signatures import (
    SignatureError,
    SignatureParseError,
    request_key_id,
    verify_request,
)
from connective.federation.wire import Activity, WireError, origin, same_origin

MAX_BODY = 1_048_576  # 1 MiB: far above any real activity, far below a memory problem


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


def domain_suspended(host: str) -> bool:
    """Whether the host or a parent domain of it is suspended (a domain block)."""
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
        if domain_suspended(key_host):
            raise InboxRefusal(403, "the signing key's domain is blocked")
        owner = remote_objects.key_owner(key_id)
    return owner


def _blocked(actor: Person) -> bool:
    """Whether the actor or its domain is suspended (the domain from the owner's query when it
    came from there, a query otherwise)."""
    if actor.suspended_at is not None:
        return True
    known = getattr(actor, "domain_blocked", None)
    return bool(known) if known is not None else domain_suspended(origin(actor.uri)[1])


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
            if domain_suspended(key_host):
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
