"""Moving to another account: aliases (alsoKnownAs) and the Move itself.

Moving works as on Mastodon: the NEW account first names the old one as an alias; then the old
account moves. Connections people here had with the old account follow to the new one, purpose
and note kept; the fediverse is sent a Move (federation subscribes to person.moved); the old
profile page sends visitors on to the new one.
"""

from __future__ import annotations

from django.db import transaction

from connective.accounts.models import Person
from connective.core import events
from connective.federation.services.resolve import ResolveError, resolve_actor
from connective.network.models import Connection
from connective.network.services.connections import ConnectError, move_connection
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.portability.services.people import find_or_fetch

MAX_ALIASES = 10


class MoveError(Exception):
    """A move or an alias that cannot be made, with the reason."""


def _lookup(address: str) -> Person:
    address = address.strip()
    if not address:
        raise MoveError("Give the account's address, like @name@example.org.")
    if address.startswith(("http://", "https://")):
        person, reason = find_or_fetch("", address)
    else:
        person, reason = find_or_fetch(address, "")
    if person is None:
        raise MoveError(f"That account could not be found: {reason}")
    return person


def add_alias(person: Person, address: str) -> Person:
    """Name another account as also being me (so it may move here)."""
    other = _lookup(address)
    if other.pk == person.pk:
        raise MoveError("That is this account.")
    aliases = list(person.also_known_as or [])
    if other.uri in aliases:
        return other
    if len(aliases) >= MAX_ALIASES:
        raise MoveError(f"At most {MAX_ALIASES} aliases.")
    person.also_known_as = [*aliases, other.uri]
    person.save(update_fields=["also_known_as", "updated_at"])
    events.announce(events.PERSON_UPDATED, person=person)
    return other


def remove_alias(person: Person, uri: str) -> None:
    """Stop naming an account as also being me."""
    person.also_known_as = [a for a in person.also_known_as or [] if a != uri]
    person.save(update_fields=["also_known_as", "updated_at"])
    events.announce(events.PERSON_UPDATED, person=person)


def _refetched(person: Person) -> Person:
    """A remote person as their server describes them now (our copy if it cannot answer)."""
    try:
        return resolve_actor(person.uri, refresh=True)
    except ResolveError:
        return person


def move_account(person: Person, address: str) -> Person:
    """Move `person` to the account at `address`, which must name `person` as an alias. The
    new account is looked up (over the network if it is elsewhere) before anything is written."""
    if person.moved_to_id:
        raise MoveError("This account has already moved.")
    new = _lookup(address)
    if new.pk == person.pk:
        raise MoveError("That is this account.")
    if person.uri not in (new.also_known_as or []) and not new.is_local:
        new = _refetched(new)  # our copy may predate the alias they just added
    if person.uri not in (new.also_known_as or []):
        raise MoveError(
            "The new account must first name this one as an alias (on the new account: "
            f"Settings → Export and import → aliases, add {person.acct})."
        )
    _move(person, new)
    return new


@transaction.atomic
def _move(person: Person, new: Person) -> None:
    """Point the old account at the new one and take the connections here along."""
    person.moved_to = new
    person.save(update_fields=["moved_to", "updated_at"])
    followers = Connection.objects.filter(target=person, owner__domain="").select_related("owner")
    for conn in followers:
        owner = conn.owner
        if owner.pk == new.pk:
            continue
        try:
            move_connection(conn, new)
        except ConnectError:
            continue
        notify(
            owner,
            person,
            Notification.Kind.MOVED,
            url=new.get_absolute_url(),
            data={"new_acct": new.acct},
            object_key=f"moved:{person.pk}",
        )
    events.announce(events.PERSON_MOVED, person=person)
