"""What we send: core.events subscribers that turn local changes into activities and deliveries.

Subscribed in FederationConfig.ready(). Each runs inside the service's transaction, so the
Delivery rows commit (and their tasks are enqueued) only with the change that caused them.
Remote people's own changes (handled from our inbox) are never sent back out.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from connective.accounts.models import Person
from connective.content import federation as content_ap
from connective.content.models import Post, State, Visibility
from connective.federation.context import ap_context
from connective.federation.models import Delivery, InboxActivity
from connective.federation.services import audience, deliver
from connective.federation.services.audience import followers_uri
from connective.network.models import Block, Connection

_inbound_actor: contextvars.ContextVar[str] = contextvars.ContextVar(
    "federation_inbound_actor", default=""
)


@contextmanager
def inbound(actor: Person) -> Iterator[None]:
    """While handling `actor`'s activity: do not echo what they did back to them."""
    token = _inbound_actor.set(actor.uri)
    try:
        yield
    finally:
        _inbound_actor.reset(token)


def _stamp() -> str:
    return str(int(timezone.now().timestamp() * 1000))


def activity(kind: str, actor: Person, obj: Any, activity_id: str, **extra: Any) -> dict[str, Any]:
    """An activity document with our @context."""
    doc = {"@context": ap_context(), "id": activity_id, "type": kind, "actor": actor.uri}
    doc["object"] = obj
    doc.update(extra)
    return doc


def follow_id(conn: Connection) -> str:
    """The id of the Follow that a connection to a remote person sends (stable per connection)."""
    return f"{conn.owner.uri}#follows/{conn.target_id}/{int(conn.created_at.timestamp())}"


def _send(doc: dict[str, Any], sender: Person, recipients: list[Person]) -> None:
    urls = audience.inboxes(recipients, shared=False)
    if urls:
        deliver.enqueue(doc, sender, urls)


# --- posts ------------------------------------------------------------------------------


def post_object(post: Post) -> dict[str, Any]:
    """A post's object with its addressing."""
    obj = content_ap.post_to_ap(post)
    obj["to"], obj["cc"] = audience.addressing(post)
    return obj


def _sendable(post: Post) -> bool:
    return post.author.is_local and post.state == State.PUBLISHED and post.space_id is None


def on_post_published(post: Post) -> None:
    """Create{Note|Article|Page} to the author's remote followers and mentioned people."""
    if not _sendable(post):
        return
    urls = audience.post_inboxes(post)
    if urls:
        obj = post_object(post)
        doc = activity("Create", post.author, obj, f"{post.uri}#create", to=obj["to"], cc=obj["cc"])
        deliver.enqueue(doc, post.author, urls)


def on_post_edited(post: Post) -> None:
    """Update with the new object, to the same audience."""
    if not _sendable(post):
        return
    urls = audience.post_inboxes(post)
    if urls:
        obj = post_object(post)
        doc = activity(
            "Update", post.author, obj, f"{post.uri}#update-{_stamp()}", to=obj["to"], cc=obj["cc"]
        )
        deliver.enqueue(doc, post.author, urls)


def on_post_deleted(post: Post) -> None:
    """Delete{Tombstone} to everyone the post went to, and the author's remote followers."""
    if not post.author.is_local:
        return
    sent = Delivery.objects.filter(activity_id=f"{post.uri}#create").values_list(
        "inbox_url", flat=True
    )
    urls = list(dict.fromkeys([*sent, *audience.post_inboxes(post)]))
    if urls:
        tomb = {"id": post.uri, "type": "Tombstone"}
        doc = activity("Delete", post.author, tomb, f"{post.uri}#delete", to=[audience.PUBLIC])
        deliver.enqueue(doc, post.author, urls)


# --- useful ↔ Like ----------------------------------------------------------------------


def _like_id(person: Person, post: Post) -> str:
    return f"{person.uri}#likes/{post.pk}"


def on_useful_added(useful: Any) -> None:
    """Like to the remote author of the post."""
    person, post = useful.person, useful.post
    if person.is_local and not post.author.is_local:
        _send(activity("Like", person, post.uri, _like_id(person, post)), person, [post.author])


def on_useful_removed(person: Person, post: Post) -> None:
    """Undo{Like} to the remote author."""
    if person.is_local and not post.author.is_local:
        like = activity("Like", person, post.uri, _like_id(person, post))
        like.pop("@context")
        doc = activity("Undo", person, like, f"{_like_id(person, post)}/undo-{_stamp()}")
        _send(doc, person, [post.author])


# --- boosts ↔ Announce ------------------------------------------------------------------


def _announce(boost: Any) -> tuple[dict[str, Any], list[str]]:
    """The Announce of a local boost, and where it goes: the booster's remote followers
    (shared inboxes: the post is open to all) and the post's author when remote."""
    person, post = boost.person, boost.post
    followers = followers_uri(person)
    if post.visibility == Visibility.PUBLIC:
        to, cc = [audience.PUBLIC], [followers, post.author.uri]
    else:  # unlisted stays unlisted when boosted (Mastodon does the same)
        to, cc = [followers], [audience.PUBLIC, post.author.uri]
    doc = activity(
        "Announce",
        person,
        post.uri,
        boost.uri,
        to=to,
        cc=cc,
        published=boost.created_at.isoformat().replace("+00:00", "Z"),
    )
    urls = audience.inboxes(audience.remote_followers(person), shared=True)
    urls += audience.inboxes([post.author], shared=True)
    return doc, list(dict.fromkeys(urls))


def _boost_sendable(boost: Any) -> bool:
    return bool(boost.person.is_local and boost.post.uri)


def on_post_boosted(boost: Any) -> None:
    """Announce to the booster's remote followers and the remote author."""
    if not _boost_sendable(boost):
        return
    doc, urls = _announce(boost)
    if urls:
        deliver.enqueue(doc, boost.person, urls)


def on_post_unboosted(boost: Any) -> None:
    """Undo{Announce} to the same inboxes as the Announce."""
    if not _boost_sendable(boost):
        return
    announce, urls = _announce(boost)
    announce.pop("@context")
    if urls:
        doc = activity("Undo", boost.person, announce, f"{boost.uri}/undo", to=announce["to"])
        deliver.enqueue(doc, boost.person, urls)


# --- connections ------------------------------------------------------------------------


def _follow(conn: Connection) -> dict[str, Any]:
    return {
        "id": follow_id(conn),
        "type": "Follow",
        "actor": conn.owner.uri,
        "object": conn.target.uri,
    }


def _their_follow(conn: Connection) -> dict[str, Any]:
    """The Follow a remote follower sent us (as received), to answer with Accept or Reject."""
    rows = InboxActivity.objects.filter(type="Follow", actor_uri=conn.owner.uri)
    for row in rows.order_by("-received_at")[:20]:
        raw = row.raw if isinstance(row.raw, dict) else {}
        target = raw.get("object")
        if target == conn.target.uri or (
            isinstance(target, dict) and target.get("id") == conn.target.uri
        ):
            return {k: raw[k] for k in ("id", "type", "actor", "object") if k in raw}
    return {"type": "Follow", "actor": conn.owner.uri, "object": conn.target.uri}


def send_accept(conn: Connection) -> None:
    """Accept{Follow} to a remote follower of a local person."""
    doc = activity(
        "Accept",
        conn.target,
        _their_follow(conn),
        f"{conn.target.uri}#accepts/{conn.pk}-{_stamp()}",
    )
    _send(doc, conn.target, [conn.owner])


def _send_reject(conn: Connection) -> None:
    doc = activity(
        "Reject",
        conn.target,
        _their_follow(conn),
        f"{conn.target.uri}#rejects/{conn.pk}-{_stamp()}",
    )
    _send(doc, conn.target, [conn.owner])


def on_connection_made(connection: Connection) -> None:
    """Follow to a remote target; Accept at once to a remote follower of an open profile."""
    owner, target = connection.owner, connection.target
    if owner.is_local and not target.is_local:
        _send(activity("Follow", owner, target.uri, follow_id(connection)), owner, [target])
    elif not owner.is_local and target.is_local and connection.is_active:
        send_accept(connection)


def on_connection_accepted(connection: Connection) -> None:
    """Accept to a remote follower whose request a local person approved."""
    if not connection.owner.is_local and connection.target.is_local:
        send_accept(connection)


def on_connection_declined(connection: Connection) -> None:
    """Reject to a remote follower whose request a local person declined."""
    if not connection.owner.is_local and connection.target.is_local:
        _send_reject(connection)


def on_connection_removed(connection: Connection) -> None:
    """Undo{Follow} when we end a connection to a remote person; Reject when a local person
    removes a remote follower (unless the follower's own Undo caused it)."""
    owner, target = connection.owner, connection.target
    if owner.is_local and not target.is_local:
        if _inbound_actor.get() == target.uri:
            return  # their Reject ended it
        doc = activity("Undo", owner, _follow(connection), f"{follow_id(connection)}/undo")
        _send(doc, owner, [target])
    elif not owner.is_local and target.is_local and _inbound_actor.get() != owner.uri:
        _send_reject(connection)


def on_block_made(block: Block) -> None:
    """Block to the remote person (Mastodon then removes their follow)."""
    owner, target = block.owner, block.target
    if owner.is_local and not target.is_local:
        doc = activity("Block", owner, target.uri, f"{owner.uri}#blocks/{block.pk}")
        _send(doc, owner, [target])


def on_person_updated(person: Person) -> None:
    """Update{Person} with the actor document to the person's remote followers."""
    if not person.is_local:
        return
    from connective.federation.documents.actor import person_to_ap

    urls = audience.inboxes(audience.remote_followers(person), shared=True)
    if urls:
        actor_doc = person_to_ap(person)
        actor_doc.pop("@context", None)
        doc = activity(
            "Update", person, actor_doc, f"{person.uri}#updates/{_stamp()}", to=[audience.PUBLIC]
        )
        deliver.enqueue(doc, person, urls)


def _known_inboxes(person: Person) -> list[str]:
    """Every remote server that knows the person: followers and the people they follow."""
    following = Connection.objects.filter(owner=person).values("target_id")
    followed = list(Person.objects.filter(pk__in=following).exclude(domain=""))
    return list(
        dict.fromkeys(
            audience.inboxes([*audience.remote_followers(person), *followed], shared=True)
        )
    )


def on_person_deleted(person: Person) -> None:
    """Delete{Person} to every server that knows a deleted local account (sent before its
    connections are removed; deliveries go out although the account is suspended)."""
    if not person.is_local:
        return
    urls = _known_inboxes(person)
    if urls:
        doc = activity(
            "Delete", person, person.uri, f"{person.uri}#delete/{_stamp()}", to=[audience.PUBLIC]
        )
        deliver.enqueue(doc, person, urls)


def on_person_moved(person: Person) -> None:
    """Move{Person} to the remote followers of a local account that moved (Mastodon's
    account migration: followers re-follow the target, which names the old account)."""
    if not person.is_local or person.moved_to is None:
        return
    urls = audience.inboxes(audience.remote_followers(person), shared=True)
    if urls:
        doc = activity(
            "Move",
            person,
            person.uri,
            f"{person.uri}#moves/{_stamp()}",
            target=person.moved_to.uri,
            to=[audience.PUBLIC],
        )
        deliver.enqueue(doc, person, urls)
