"""Find people on other servers: `user@host` → WebFinger → actor document → a remote Person row.

Every request goes through the guarded client (SSRF, deadline, size cap) and every actor through
fetch_object's id rule (T-03). One resolution makes at most MAX_FETCHES requests (T-19): the
WebFinger lookup, the actor, and the account it moved to (whose own move is not followed).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.core import events, http
from connective.core.uris import is_local_uri
from connective.federation.documents.remote_actor import (
    ACTOR_TYPES,
    BadActor,
    RemoteActor,
    actor_from_ap,
)
from connective.federation.documents.webfinger import is_our_host, self_link
from connective.federation.jsonsafe import JSONRejected, parse_json
from connective.federation.services import known_keys
from connective.federation.services.fetch import (
    ObjectGone,
    fetch_object,
    fetch_timeout,
    fetch_unverified,
    insecure_peers_allowed,
    normalise_url,
)
from connective.federation.services.remote_avatar import domain_suspended, fetch_remote_avatar
from connective.topics.services.resolve import get_or_create_topics

logger = logging.getLogger("connective.federation")

MAX_FETCHES = 3
MAX_JRD_BYTES = 256 * 1024
_HANDLE = re.compile(
    r"^@?([A-Za-z0-9_][A-Za-z0-9_.\-]{0,63})@([A-Za-z0-9.\-]{1,253}(?::\d{1,5})?)$"
)


class ResolveError(Exception):
    """Someone could not be found or recorded; str() is a sentence for people."""


class NotFound(ResolveError):
    """There is nobody at that address."""


class NotAllowed(ResolveError):
    """The address may not be fetched (private network, wrong scheme or port)."""


class TimedOut(ResolveError):
    """The other server did not answer in time."""


class NotAnActor(ResolveError):
    """The address holds an object (a post, say) rather than a person; `object_id` is its id."""

    def __init__(self, message: str, object_id: str) -> None:
        super().__init__(message)
        self.object_id = object_id


@dataclass
class Budget:
    """How many more requests this resolution may make (T-19)."""

    left: int = MAX_FETCHES

    def spend(self) -> None:
        """Count one request; ResolveError once the budget is used up."""
        if self.left <= 0:
            raise ResolveError("Too many requests were needed to find this person.")
        self.left -= 1


def _translate(exc: http.FetchError) -> ResolveError:
    """The fetch failure in words for the person who asked."""
    if isinstance(exc, http.URLNotAllowed) or str(exc).startswith("URL not allowed"):
        return NotAllowed(f"{exc}.")
    if isinstance(exc, http.FetchTimeout):
        return TimedOut("The other server did not answer in time.")
    if isinstance(exc, ObjectGone):
        return NotFound("There is nobody at that address.")
    return ResolveError(f"That server could not be reached or read: {exc}")


def parse_handle(text: str) -> tuple[str, str]:
    """(name, host) from `@name@host`, `name@host` or `acct:name@host`; NotFound if malformed."""
    text = text.strip()
    if text.lower().startswith("acct:"):
        text = text[5:]
    match = _HANDLE.match(text)
    if not match:
        raise NotFound("That is not a fediverse address like @name@example.org.")
    return match.group(1), match.group(2).lower().rstrip(".")


def webfinger_url(name: str, host: str) -> str:
    """The WebFinger URL for name@host (https; http only for test peers)."""
    scheme = "http" if insecure_peers_allowed() else "https"
    resource = quote(f"acct:{name}@{host}", safe=":@")
    return f"{scheme}://{host}/.well-known/webfinger?resource={resource}"


def webfinger(name: str, host: str, budget: Budget) -> str:
    """The actor URI that host's WebFinger gives for name."""
    budget.spend()
    try:
        fetched = http.fetch(
            webfinger_url(name, host),
            accept="application/jrd+json, application/json",
            max_bytes=MAX_JRD_BYTES,
            timeout=fetch_timeout(),
        )
    except http.FetchError as exc:
        raise _translate(exc) from exc
    if fetched.status in (404, 410):
        raise NotFound(f"Nobody called {name} is known at {host}.")
    if fetched.status != 200:
        raise ResolveError(f"{host} answered the lookup with an error ({fetched.status}).")
    try:
        href = self_link(parse_json(fetched.content, max_bytes=MAX_JRD_BYTES))
    except JSONRejected as exc:
        raise ResolveError(f"{host} sent an unreadable answer ({exc.reason}).") from exc
    if not href:
        raise NotFound(f"{name}@{host} has no ActivityPub profile.")
    return href


def resolve_handle(text: str, *, refresh: bool = False) -> Person:
    """The Person for a fediverse handle, looked up and recorded if we do not know them yet."""
    name, host = parse_handle(text)
    if is_our_host(host):
        people = Person.objects.local().active().filter(actor_type="Person")
        person = people.filter(handle__iexact=name).first() or _local_group(name)
        if person is None:
            raise NotFound(f"Nobody called {name} is on this server.")
        return person
    known = Person.objects.filter(handle__iexact=name, domain=host).first()
    if known is not None and known.fetched_at and not refresh:
        return known
    budget = Budget()
    return resolve_actor(webfinger(name, host, budget), refresh=True, budget=budget)


def _local_group(name: str) -> Person | None:
    """The actor of one of our open spaces (`slug`) or published courses (`course.slug`)."""
    from connective.federation.services import groups

    return groups.actor_if_any(groups.group_named(name))


def _local_group_at(uri: str) -> Person | None:
    """The actor of the open space or published course whose page is `uri`."""
    from connective.federation.services import groups

    return groups.actor_if_any(groups.group_at(uri))


def resolve_url(url: str) -> Person:
    """The Person a profile URL stands for: its actor, fetched again from its own id."""
    if is_local_uri(url.rstrip("/")):
        return resolve_actor(url)
    known = Person.objects.filter(uri=url).first() or Person.objects.filter(url=url).first()
    if known is not None and known.fetched_at:
        return known
    budget = Budget()
    budget.spend()
    try:
        doc, final_url = fetch_unverified(url)
    except http.FetchError as exc:
        raise _translate(exc) from exc
    actor_id = str(doc["id"])
    kind = doc.get("type")
    if isinstance(kind, str) and kind not in ACTOR_TYPES:
        raise NotAnActor(f"That address is a {kind[:40]}, not a person.", actor_id)
    if normalise_url(actor_id) == normalise_url(final_url):
        return _record_doc(doc, actor_id, budget)
    return resolve_actor(actor_id, refresh=True, budget=budget)


def resolve_actor(uri: str, *, refresh: bool = False, budget: Budget | None = None) -> Person:
    """The Person whose actor id is `uri`, fetched (and recorded) unless already known."""
    if is_local_uri(uri.rstrip("/")):
        # People's ids have no trailing slash; spaces' and courses' do (their pages' URLs).
        person = Person.objects.local().filter(uri__in={uri, uri.rstrip("/")}).first()
        person = person or _local_group_at(uri)
        if person is None:
            raise NotFound("Nobody with that address is on this server.")
        return person
    known = Person.objects.filter(uri=uri).first()
    if known is not None and known.fetched_at and not refresh:
        return known
    budget = budget or Budget()
    budget.spend()
    try:
        doc = fetch_object(uri)
    except http.FetchError as exc:
        raise _translate(exc) from exc
    return _record_doc(doc, uri, budget)


def _record_doc(doc: dict[str, Any], uri: str, budget: Budget) -> Person:
    """Read a fetched (and id-checked) actor document and record the person."""
    try:
        actor = actor_from_ap(doc)
    except BadActor as exc:
        logger.info("actor refused: %s (%s)", exc.reason, uri[:200])
        raise ResolveError(f"That address is not a person's profile ({exc.reason}).") from exc
    person = record_actor(actor)
    if actor.moved_to:
        _record_move(person, actor.moved_to, budget)
    return person


FIELDS = (
    "handle",
    "domain",
    "actor_type",
    "inbox_url",
    "shared_inbox_url",
    "outbox_url",
    "followers_url",
    "following_url",
    "url",
    "display_name",
    "bio_html",
    "public_key_pem",
    "requires_approval",
    "discoverable",
    "also_known_as",
)


def record_actor(actor: RemoteActor) -> Person:
    """Create or update the remote Person for a checked actor; announce what happened.

    Two resolutions of the same new actor may race (two inbox requests): the loser's insert
    hits the unique constraint and is retried once as an update of the winner's row.
    """
    if is_our_host(actor.domain) or is_local_uri(actor.uri):
        raise ResolveError("Another server cannot speak for people on this one.")
    if domain_suspended(actor.domain):
        raise NotAllowed("That server is blocked here.")
    try:
        with transaction.atomic():
            return _record(actor)
    except IntegrityError:
        with transaction.atomic():
            return _record(actor)


def _record(actor: RemoteActor) -> Person:
    """record_actor's work, inside its transaction."""
    person = Person.objects.select_for_update().filter(uri=actor.uri).first()
    if person is None:
        # The same account under a new id on its own server (re-created or migrated software).
        person = (
            Person.objects.select_for_update()
            .filter(handle__iexact=actor.handle, domain=actor.domain)
            .first()
        )
    values = {name: getattr(actor, name) for name in FIELDS}
    created = person is None
    if person is None:
        person = Person(uri=actor.uri, **values)
        changed = True
    else:
        changed = any(getattr(person, name) != value for name, value in values.items())
        changed = changed or person.uri != actor.uri
        person.uri = actor.uri
        for name, value in values.items():
            setattr(person, name, value)
    person.fetched_at = timezone.now()
    person.save()
    # Its key may have changed: the inbox reads the row again, now and once this commits.
    uri = person.uri
    known_keys.forget(uri)
    transaction.on_commit(lambda: known_keys.forget(uri))
    _set_topics(person, actor)
    if actor.icon_url and (created or changed or not person.avatar):
        url, pk = actor.icon_url, person.pk
        transaction.on_commit(lambda: fetch_remote_avatar.enqueue(pk, url))
    if created:
        events.announce(events.PERSON_CREATED, person=person)
    elif changed:
        events.announce(events.PERSON_UPDATED, person=person)
    return person


def _set_topics(person: Person, actor: RemoteActor) -> None:
    """Interests and expertise from our extension (sent by other Connective servers)."""
    if actor.interests or person.interests.exists():
        person.interests.set(get_or_create_topics(actor.interests))
    if actor.expertise or person.expertise.exists():
        person.expertise.set(get_or_create_topics(actor.expertise))


def _record_move(person: Person, target_uri: str, budget: Budget) -> None:
    """Point person.moved_to at the account they moved to, if it can be found in budget."""
    if person.moved_to_id and person.moved_to and person.moved_to.uri == target_uri:
        return
    target = Person.objects.filter(uri=target_uri).first()
    if target is None:
        try:
            target = resolve_actor(target_uri, budget=Budget(min(budget.left, 1)))
        except ResolveError as exc:
            logger.info("move target not resolved: %s (%s)", exc, target_uri[:200])
            return
    if target.pk == person.pk or person.uri not in (target.also_known_as or []):
        # A move counts only if the new account names the old one (as Mastodon checks).
        return
    Person.objects.filter(pk=person.pk).update(moved_to=target)
    person.moved_to = target
    events.announce(events.PERSON_UPDATED, person=person)
