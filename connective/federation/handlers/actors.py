"""Update of an actor (profile refresh) and Move (follow the account to its new home)."""

from __future__ import annotations

import connective.federation.services.remote_objects as remote_objects
from connective.accounts.models import Person
from connective.federation.handlers.base import BadActivity, Forbidden, Ignored
from connective.federation.wire import Activity
from connective.network.models import Connection
from connective.network.services import connections
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify

ACTOR_TYPES = ("Person", "Service", "Application", "Group", "Organization")


def handle_update_actor(activity: Activity, actor: Person) -> None:
    """A remote profile changed: refetched from its own id (never taken from the activity)."""
    if activity.object_id != actor.uri:
        raise Forbidden("an Update of another actor")
    remote_objects.refresh_actor(actor)


def handle_move(activity: Activity, actor: Person) -> None:
    """The actor moved: connections here follow the new account, purpose and note kept."""
    if activity.object_id != actor.uri:
        raise Forbidden("a Move of another actor")
    if not activity.target:
        raise BadActivity("Move without a target")
    new = remote_objects.resolve(activity.target)
    if new is None or new.pk == actor.pk:
        raise Ignored("the new account cannot be fetched")
    if actor.uri not in (new.also_known_as or []):
        raise Forbidden("the new account does not name the old one in alsoKnownAs")
    Person.objects.filter(pk=actor.pk).update(moved_to=new)
    for conn in Connection.objects.filter(target=actor, owner__domain="").select_related("owner"):
        owner = conn.owner
        try:
            connections.move_connection(conn, new)
        except connections.ConnectError:
            continue
        notify(owner, new, Notification.Kind.MOVED, url=new.get_absolute_url(), data={})
