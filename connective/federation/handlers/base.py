"""What every inbound handler may raise, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connective.accounts.models import Person
from connective.core.uris import is_local_uri
from connective.federation.models import InboxActivity
from connective.federation.wire import Activity

Handler = Callable[[Activity, Person], None]


class Forbidden(Exception):
    """The verified actor may not do this (403); nothing is changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadActivity(Forbidden):
    """The activity lacks what its type needs (400); nothing is changed."""


class Ignored(Exception):
    """Nothing to do here (an object we do not keep, a follow of no one we know)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def local_person(uri: str) -> Person | None:
    """The local person with this URI, if any."""
    if not uri or not is_local_uri(uri):
        return None
    return Person.objects.local().filter(uri=uri).first()


def stored_activity(activity_id: str) -> dict[str, Any] | None:
    """An activity we received earlier, by id (an Undo may name its object only by id)."""
    row = InboxActivity.objects.filter(activity_id=activity_id).only("raw").first()
    return row.raw if row is not None and isinstance(row.raw, dict) else None


def undone(activity: Activity, actor: Person) -> Activity:
    """The activity an Undo undoes, embedded or received earlier; it must be the actor's own."""
    raw = activity.embedded or stored_activity(activity.object_id)
    if raw is None:
        raise Ignored("the undone activity is unknown")
    try:
        inner = Activity.from_dict(raw)
    except ValueError as exc:
        raise BadActivity(f"the undone activity is malformed: {exc}") from exc
    if inner.actor != actor.uri:
        raise Forbidden("an Undo of someone else's activity")
    return inner
