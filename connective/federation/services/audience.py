"""Addressing ↔ visibility, and which inboxes an activity goes to.

| visibility | to | cc |
|---|---|---|
| public | Public | author's followers, mentioned people |
| unlisted | author's followers | Public, mentioned people |
| network | author's followers | mentioned people |
| private | mentioned people | — |

Inbound, the same table read backwards: Public in `to` → public, in `cc` → unlisted, the
author's followers collection → network, otherwise → private (only the people addressed).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.core.uris import absolute_uri
from connective.network.models import Connection

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})


def followers_uri(person: Person) -> str:
    """The followers collection of a person (ours by route, a remote one as it told us)."""
    if not person.is_local:
        return person.followers_url
    if person.actor_type != "Person":  # a space's or course's Group: next to its own id
        return f"{person.uri.rstrip('/')}/followers"
    try:
        return absolute_uri(reverse("federation:followers", kwargs={"handle": person.handle}))
    except NoReverseMatch:
        return person.followers_url or absolute_uri(f"/@{person.handle}/followers/")


def addressing(post: Post) -> tuple[list[str], list[str]]:
    """(to, cc) for a post, from its visibility and the people it mentions."""
    mentioned = [p.uri for p in post.mentions.all()]
    followers = followers_uri(post.author)
    if post.visibility == Visibility.PUBLIC:
        return [PUBLIC], [followers, *mentioned]
    if post.visibility == Visibility.UNLISTED:
        return [followers], [PUBLIC, *mentioned]
    if post.visibility == Visibility.NETWORK:
        return [followers], mentioned
    return mentioned, []


def visibility_from(to: Iterable[str], cc: Iterable[str], author: Person) -> str:
    """Our visibility for an inbound object addressed `to`/`cc` by `author`."""
    to, cc = set(to), set(cc)
    if to & PUBLIC_ALIASES:
        return Visibility.PUBLIC
    if cc & PUBLIC_ALIASES:
        return Visibility.UNLISTED
    if author.followers_url and author.followers_url in to | cc:
        return Visibility.NETWORK
    return Visibility.PRIVATE


def remote_followers(person: Person) -> list[Person]:
    """Remote people with an active connection to `person` (their followers elsewhere)."""
    ids = Connection.objects.active().filter(target=person).values("owner_id")
    return list(Person.objects.active().filter(pk__in=ids).exclude(domain=""))


def _inbox(person: Person, shared: bool) -> str:
    if shared and person.shared_inbox_url:
        return person.shared_inbox_url
    return person.inbox_url


def inboxes(people: Iterable[Person], *, shared: bool) -> list[str]:
    """The distinct inboxes of remote people; shared inboxes only when `shared` (public posts)."""
    seen: dict[str, None] = {}
    for person in people:
        if person.is_local:
            continue
        url = _inbox(person, shared)
        if url:
            seen.setdefault(url, None)
    return list(seen)


def post_inboxes(post: Post) -> list[str]:
    """Where a post's activities go: the author's remote followers (public and unlisted posts
    use shared inboxes; network posts only accepted followers' own inboxes, never a shared one)
    and the remote people it mentions (their own inboxes unless the post is public)."""
    open_post = post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED)
    mentioned = [p for p in post.mentions.all() if not p.is_local]
    targets: list[str] = []
    if post.visibility != Visibility.PRIVATE:
        targets += inboxes(remote_followers(post.author), shared=open_post)
    targets += inboxes(mentioned, shared=open_post)
    return list(dict.fromkeys(targets))
