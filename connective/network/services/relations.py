"""Who may reach whom: blocks and mutes."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from connective.accounts.models import Person
from connective.core import events
from connective.network.models import Block, Connection, Mute


def is_blocked_between(a: Person, b: Person) -> bool:
    """Whether either person blocks the other."""
    return Block.objects.filter(
        Q(owner_id=a.pk, target_id=b.pk) | Q(owner_id=b.pk, target_id=a.pk)
    ).exists()


def wants_to_hear_from(recipient: Person, actor: Person) -> bool:
    """Whether `recipient` should be notified about what `actor` did."""
    if is_blocked_between(recipient, actor):
        return False
    return not Mute.objects.filter(owner=recipient, target=actor).exists()


@transaction.atomic
def block(owner: Person, target: Person) -> Block:
    """Block someone: connections both ways end, and they can no longer reach you."""
    if owner.pk == target.pk:
        raise ValueError("You cannot block yourself.")
    Connection.objects.between(owner.pk, target.pk).delete()
    try:
        with transaction.atomic():
            block_row = Block.objects.create(owner=owner, target=target)
    except IntegrityError:
        return Block.objects.get(owner=owner, target=target)
    events.announce(events.BLOCK_MADE, block=block_row)
    return block_row


@dataclass
class BlockLoss:
    """What blocking someone would delete: the connections both ways, with their purposes."""

    mine: Connection | None = None
    theirs: Connection | None = None


def what_block_ends(owner: Person, target: Person) -> BlockLoss:
    """The connections (active or waiting) that `block(owner, target)` would delete, with
    their topics; unblocking does not bring them back, so the confirmation page lists them."""
    conns = {
        c.owner_id: c
        for c in Connection.objects.between(owner.pk, target.pk).prefetch_related("topics")
    }
    return BlockLoss(mine=conns.get(owner.pk), theirs=conns.get(target.pk))


def unblock(owner: Person, target: Person) -> None:
    """Lift a block."""
    Block.objects.filter(owner=owner, target=target).delete()


def mute(owner: Person, target: Person) -> Mute:
    """Stop seeing someone in your stream and notifications; they are not told."""
    if owner.pk == target.pk:
        raise ValueError("You cannot mute yourself.")
    mute_row, _ = Mute.objects.get_or_create(owner=owner, target=target)
    return mute_row


def unmute(owner: Person, target: Person) -> None:
    """Lift a mute."""
    Mute.objects.filter(owner=owner, target=target).delete()


@dataclass
class Relationship:
    """How the viewer stands to a person: what a profile page needs for its buttons."""

    connection: Connection | None = None
    blocked: bool = False
    muted: bool = False
    mutual: bool = False


def relationship(viewer: Person | None, person: Person) -> Relationship:
    """The viewer's connection to `person` (or None), and whether they block or mute them."""
    if viewer is None or viewer.pk == person.pk:
        return Relationship()
    conns = {
        c.owner_id: c
        for c in Connection.objects.between(viewer.pk, person.pk).prefetch_related("topics")
    }
    mine, theirs = conns.get(viewer.pk), conns.get(person.pk)
    return Relationship(
        connection=mine,
        blocked=Block.objects.filter(owner=viewer, target=person).exists(),
        muted=Mute.objects.filter(owner=viewer, target=person).exists(),
        mutual=bool(mine and theirs and mine.is_active and theirs.is_active),
    )
