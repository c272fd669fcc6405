"""Follow, Accept, Reject and Undo{Follow}: connections across servers."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.federation.handlers.base import (
    Forbidden,
    Ignored,
    local_person,
    undone,
)
from connective.federation.wire import Activity
from connective.network.models import Connection, Direction
from connective.network.services import connections
from connective.network.services.relations import is_blocked_between


def handle_follow(activity: Activity, actor: Person) -> None:
    """A remote person follows one of ours: a connection owned by them, pending if ours approves.

    A Follow of a space or course goes to its Group actor (handlers/groups.py)."""
    from connective.federation.handlers import groups

    target = local_person(activity.object_id) or groups.group_actor_at(activity.object_id)
    if target is None:
        raise Ignored("the followed account is not ours")
    if target.actor_type != "Person" and not groups.takes_follow(activity, actor, target):
        return
    if target.suspended_at is not None or is_blocked_between(actor, target):
        raise Ignored("the followed account does not take followers from this actor")
    existing = Connection.objects.filter(owner=actor, target=target).first()
    if existing is not None:
        if existing.is_active:  # a repeated Follow: answer it again (their Accept got lost)
            import connective.federation.services.outgoing as outgoing

            outgoing.send_accept(existing)
        return
    purpose = connections.Purpose(direction=Direction.LEARN_FROM)
    try:
        connections.connect(actor, target, purpose)
    except connections.ConnectError as exc:
        raise Ignored(str(exc)) from exc


def _our_follow(activity: Activity, actor: Person) -> Connection | None:
    """The connection of ours an Accept/Reject answers; the actor must be its target (T-27)."""
    inner = activity.embedded
    if inner is not None:
        owner_uri = inner.get("actor") if isinstance(inner.get("actor"), str) else ""
        followed = inner.get("object")
        followed_uri = followed if isinstance(followed, str) else ""
        if followed_uri != actor.uri:
            raise Forbidden("an answer to a follow of someone else")
    else:
        owner_uri = activity.object_id.split("#", 1)[0]
        if not activity.object_id.startswith(f"{owner_uri}#follows/{actor.pk}/"):
            raise Forbidden("an answer to a follow of someone else")
    owner = local_person(owner_uri or "")
    if owner is None:
        raise Ignored("the answered follow is not ours")
    return Connection.objects.filter(owner=owner, target=actor).first()


def handle_accept(activity: Activity, actor: Person) -> None:
    """The remote person accepted our connection: it becomes active."""
    conn = _our_follow(activity, actor)
    if conn is None or conn.is_active:
        raise Ignored("no pending connection to accept")
    connections.accept(actor, conn)


def handle_reject(activity: Activity, actor: Person) -> None:
    """The remote person declined (or removed) our connection: it ends."""
    conn = _our_follow(activity, actor)
    if conn is None:
        raise Ignored("no connection to reject")
    if conn.is_active:
        connections.remove(conn.owner, actor)
    else:
        connections.decline(actor, conn)


def handle_undo_follow(activity: Activity, actor: Person) -> None:
    """A remote follower stops following one of ours."""
    inner = undone(activity, actor)
    target = local_person(inner.object_id)
    if target is None:
        raise Ignored("the unfollowed account is not ours")
    if not connections.remove(actor, target):
        raise Ignored("there was no such connection")


def handle_block(activity: Activity, actor: Person) -> None:
    """A remote person blocked one of ours: as on Mastodon, the connections between the two
    end, both ways (pending requests included). We record no Block of our own: the blocked
    person is not told more than that their connection ended."""
    target = local_person(activity.object_id)
    if target is None:
        raise Ignored("the blocked account is not ours")
    ended = Connection.objects.between(actor.pk, target.pk)
    if not ended.exists():
        raise Ignored("there was no connection to end")
    for conn in list(ended.select_related("owner", "target")):
        connections.remove(conn.owner, conn.target)
