"""Connect with a purpose, change it, end it; accept or decline requests."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from connective.accounts.models import Person
from connective.core import events
from connective.core.uris import is_web_url
from connective.network.models import Connection, Direction
from connective.network.purpose import purpose_phrase
from connective.network.services.relations import is_blocked_between, wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.topics.services.resolve import get_or_create_topics, validate_labels

LIMITS = {"met_where": 200, "met_url": 500, "note": 2000}


class ConnectError(Exception):
    """A connection that cannot be made or changed; the message is for the person."""


@dataclass
class Purpose:
    """Why someone connects: topics, direction, where we met, a private note."""

    direction: str
    topics: Sequence[str] = field(default_factory=list)
    met_where: str = ""
    met_url: str = ""
    note: str = ""

    def check(self) -> None:
        """Raise ConnectError for a purpose that cannot be stored."""
        if self.direction not in Direction.values:
            raise ConnectError("Choose a direction: learn from, learn with, or help.")
        validate_labels(self.topics)
        for name, limit in LIMITS.items():
            if len(getattr(self, name)) > limit:
                raise ConnectError(f"That text is too long (at most {limit} characters).")
        if self.met_url and not is_web_url(self.met_url):
            raise ConnectError("A link must start with http:// or https://.")


def connect(owner: Person, target: Person, purpose: Purpose) -> Connection:
    """Connect `owner` to `target` for `purpose`; pending if the target approves connections."""
    purpose.check()
    if owner.pk == target.pk:
        raise ConnectError("You cannot connect with yourself.")
    if is_blocked_between(owner, target):
        raise ConnectError("You cannot connect with this person.")
    if Connection.objects.filter(owner=owner, target=target).exists():
        raise ConnectError(f"You are already connected with {target.name}.")
    pending = needs_approval(target)
    try:
        with transaction.atomic():
            conn = Connection.objects.create(
                owner=owner,
                target=target,
                direction=purpose.direction,
                met_where=purpose.met_where,
                met_url=purpose.met_url,
                note=purpose.note,
                status=Connection.Status.PENDING if pending else Connection.Status.ACTIVE,
                accepted_at=None if pending else timezone.now(),
            )
            conn.topics.set(get_or_create_topics(purpose.topics))
            events.announce(events.CONNECTION_MADE, connection=conn)
    except IntegrityError as exc:
        raise ConnectError(f"You are already connected with {target.name}.") from exc
    _tell_target(conn, pending)
    return conn


def needs_approval(target: Person) -> bool:
    """Whether a new connection to `target` waits: a local person who approves connections, or a
    remote person we reach over ActivityPub (active only once their server sends an Accept)."""
    if target.is_local:
        return target.requires_approval
    return bool(target.inbox_url)


def move_connection(conn: Connection, new_target: Person) -> Connection | None:
    """Connect the owner to `new_target` (a moved account) with the same purpose and note, and
    end the old connection; None if the owner is already connected to the new account."""
    if Connection.objects.filter(owner=conn.owner, target=new_target).exists():
        remove(conn.owner, conn.target)
        return None
    purpose = Purpose(
        direction=conn.direction,
        topics=[t.name for t in conn.topics.all()],
        met_where=conn.met_where,
        met_url=conn.met_url,
        note=conn.note,
    )
    moved = connect(conn.owner, new_target, purpose)
    remove(conn.owner, conn.target)
    return moved


def _tell_target(conn: Connection, pending: bool) -> None:
    if not conn.target.is_local:  # people elsewhere hear of it through federation
        return
    if not wants_to_hear_from(conn.target, conn.owner):
        return
    topic_names = [t.name for t in conn.topics.all()]
    kind = Notification.Kind.CONNECTION_REQUEST if pending else Notification.Kind.CONNECTION
    notify(
        conn.target,
        conn.owner,
        kind,
        url=reverse("network:requests") if pending else conn.owner.get_absolute_url(),
        data={
            "purpose": purpose_phrase(conn.direction, topic_names),
            "topics": topic_names,
            "direction": conn.direction,
        },
        object_key=f"connection:{conn.owner_id}",
    )


@transaction.atomic
def update_purpose(conn: Connection, purpose: Purpose) -> Connection:
    """Change why a connection exists; the other person is not notified again."""
    purpose.check()
    conn.direction = purpose.direction
    conn.met_where = purpose.met_where
    conn.met_url = purpose.met_url
    conn.note = purpose.note
    conn.save(update_fields=["direction", "met_where", "met_url", "note"])
    conn.topics.set(get_or_create_topics(purpose.topics))
    return conn


@transaction.atomic
def remove(owner: Person, target: Person) -> bool:
    """End owner's connection to target (or withdraw a request); True if there was one."""
    conn = Connection.objects.filter(owner=owner, target=target).first()
    if conn is None:
        return False
    events.announce(events.CONNECTION_REMOVED, connection=conn)
    conn.delete()
    return True


def accept(target: Person, conn: Connection) -> Connection:
    """The target accepts a pending connection."""
    if conn.target_id != target.pk or conn.is_active:
        raise ConnectError("There is no such request.")
    conn.status = Connection.Status.ACTIVE
    conn.accepted_at = timezone.now()
    conn.save(update_fields=["status", "accepted_at"])
    events.announce(events.CONNECTION_ACCEPTED, connection=conn)
    if wants_to_hear_from(conn.owner, target):
        notify(
            conn.owner,
            target,
            Notification.Kind.CONNECTION_ACCEPTED,
            url=target.get_absolute_url(),
            object_key=f"accepted:{conn.pk}",
        )
    return conn


def decline(target: Person, conn: Connection) -> None:
    """The target declines a pending connection; the requester is not told."""
    if conn.target_id != target.pk or conn.is_active:
        raise ConnectError("There is no such request.")
    events.announce(events.CONNECTION_DECLINED, connection=conn)
    conn.delete()


def record_interaction(a: Person, b: Person) -> None:
    """Note that two people just interacted (reply, mention, useful mark)."""
    if a.pk == b.pk:
        return
    Connection.objects.between(a.pk, b.pk).update(last_interaction_at=timezone.now())


def is_mutual(a: Person, b: Person) -> bool:
    """Both have an active connection to each other."""
    return Connection.objects.active().between(a.pk, b.pk).count() == 2
