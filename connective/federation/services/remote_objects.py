"""What the inbox needs fetched: key owners, refreshed actors, boosted posts, reply ancestors.

Everything goes through FED-A's fetch_object (the id must equal the final URL, T-03) and
resolve_actor. Fetches per inbound activity are bounded (T-19): at most MAX_ANCESTORS parents
are followed up a reply chain, a cycle stops the walk, and the whole activity may spend at most
FETCH_BUDGET requests.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from connective.accounts.models import Person
from connective.content import federation as content_ap
from connective.content.models import Post
from connective.core.http import FetchError
from connective.federation.services import audience
from connective.federation.services.fetch import fetch_object
from connective.federation.services.resolve import ResolveError, resolve_actor
from connective.federation.wire import PostObject, WireError, same_origin

log = logging.getLogger("connective.federation.inbox")

MAX_ANCESTORS = 5  # as in Mastodon's own spec for fetching a reply's parents
FETCH_BUDGET = 8
KEY_REFETCH_AFTER = timedelta(
    minutes=5
)  # a key that fails to verify is refetched at most this often
_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "federation_fetch_budget", default=None
)


@contextmanager
def fetch_budget(limit: int = FETCH_BUDGET) -> Iterator[None]:
    """Bound the fetches made while handling one inbound activity."""
    token = _budget.set([limit])
    try:
        yield
    finally:
        _budget.reset(token)


def _spend() -> bool:
    left = _budget.get()
    if left is None:
        return True
    if left[0] <= 0:
        return False
    left[0] -= 1
    return True


def resolve(uri: str, *, refresh: bool = False) -> Person | None:
    """The Person for an actor id (fetched if new or `refresh`), or None if it cannot be had."""
    if not refresh:
        known = Person.objects.filter(uri=uri).exclude(public_key_pem="").first()
        if known is not None:
            return known
    if not _spend():
        return None
    try:
        return resolve_actor(uri, refresh=refresh)
    except (ResolveError, FetchError) as exc:
        log.info("actor %s not resolved: %s", uri[:200], exc)
        return None


def _recently_fetched(uri: str) -> bool:
    since = timezone.now() - KEY_REFETCH_AFTER
    uris = [uri, uri.removesuffix("/main-key")]
    return Person.objects.filter(uri__in=uris, fetched_at__gt=since).exists()


def key_owner(key_id: str, *, refresh: bool = False) -> Person | None:
    """The actor a signing key belongs to: `<actor>#main-key` (Mastodon and most others) or
    `<actor>/main-key` (GoToSocial)."""
    uri = key_id.split("#", 1)[0]
    if not refresh:
        known = Person.objects.filter(uri=uri).exclude(public_key_pem="").first()
        if known is None and uri.endswith("/main-key"):
            known = (
                Person.objects.filter(uri=uri.removesuffix("/main-key"))
                .exclude(public_key_pem="")
                .first()
            )
        if known is not None:
            return known
    if refresh and _recently_fetched(uri):
        return None  # one refetch per owner per KEY_REFETCH_AFTER: bad signatures cost no fetch
    person = resolve(uri, refresh=True)
    if person is None and uri.endswith("/main-key"):
        person = resolve(uri.removesuffix("/main-key"), refresh=True)
    return person


def refresh_actor(person: Person) -> Person:
    """Refetch a remote actor's document (after an Update of it)."""
    return resolve(person.uri, refresh=True) or person


def _fetch_doc(uri: str) -> dict | None:
    if not _spend():
        return None
    try:
        return fetch_object(uri)
    except FetchError as exc:
        log.info("object %s not fetched: %s", uri[:200], exc)
        return None


def _store(obj: PostObject, parent: Post | None) -> Post | None:
    if not same_origin(obj.id, obj.attributed_to):
        return None
    author = resolve(obj.attributed_to)
    if author is None or author.is_local:
        return None
    visibility = audience.visibility_from(obj.to, obj.cc, author)
    if visibility not in ("public", "unlisted"):
        return None  # a fetched post is one anyone may see; others arrive only by delivery
    return content_ap.post_from_ap(obj, author, visibility=visibility, in_reply_to=parent)


def _fetched_post(uri: str) -> PostObject | None:
    doc = _fetch_doc(uri)
    if doc is None:
        return None
    try:
        return PostObject.from_dict(doc)
    except WireError:
        return None


def fetch_post(uri: str) -> Post | None:
    """A public post fetched from its own id (a boost of something we did not have)."""
    known = Post.objects.filter(uri=uri).first()
    if known is not None:
        return known
    obj = _fetched_post(uri)
    if obj is None:
        return None
    parent = Post.objects.filter(uri=obj.in_reply_to).first() if obj.in_reply_to else None
    return _store(obj, parent)


def fetch_ancestors(uri: str) -> Post | None:
    """The post at `uri`, fetching up to MAX_ANCESTORS unknown parents above it (cycles stop)."""
    chain: list[PostObject] = []
    seen: set[str] = set()
    parent: Post | None = None
    next_uri = uri
    while next_uri and len(chain) < MAX_ANCESTORS and next_uri not in seen:
        seen.add(next_uri)
        parent = Post.objects.filter(uri=next_uri).first()
        if parent is not None:
            break
        obj = _fetched_post(next_uri)
        if obj is None:
            break
        chain.append(obj)
        next_uri = obj.in_reply_to
    if parent is None and next_uri and next_uri in seen and chain:
        log.info("reply chain cycle at %s", next_uri[:200])
    for obj in reversed(chain):
        stored = _store(obj, parent)
        if stored is None:
            return None
        parent = stored
    return parent if chain or parent is not None else None
