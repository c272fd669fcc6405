"""Join and leave spaces; ask to join members-only ones; moderators approve and remove."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from connective.accounts.models import Person
from connective.network.services.relations import wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.spaces.errors import SpaceError
from connective.spaces.models import (
    JoinRequest,
    Membership,
    ModerationAction,
    Space,
    SpaceSubscription,
    ThreadSubscription,
)

__all__ = [
    "SpaceError",
    "approve_request",
    "ask_to_join",
    "decline_request",
    "join",
    "leave",
    "needs_approval",
    "remove_member",
    "step_down",
]

Action = ModerationAction.Action


@transaction.atomic
def join(space: Space, person: Person) -> Membership:
    """Make `person` a member (idempotent). The trusted entry point: no approval is asked
    (courses call it on enrolment); the join button goes through `ask_to_join`."""
    membership = Membership.objects.filter(space=space, person=person).first()
    if membership is not None:
        return membership
    try:
        with transaction.atomic():
            membership = Membership.objects.create(space=space, person=person)
    except IntegrityError:  # joined at the same moment by another request
        return Membership.objects.get(space=space, person=person)
    JoinRequest.objects.filter(space=space, person=person).delete()
    _request_answered(space, person)
    return membership


@transaction.atomic
def leave(space: Space, person: Person) -> None:
    """Leave a space; the last moderator must hand over first. Leaving a space you are not in
    changes nothing. Followed threads of a members-only space are dropped with it."""
    membership = Membership.objects.filter(space=space, person=person).first()
    if membership is None:
        JoinRequest.objects.filter(space=space, person=person).delete()
        _request_notices(space, person).delete()  # withdrawn: nothing left to answer
        return
    if membership.role == Membership.Role.MODERATOR and _moderator_count(space) == 1:
        raise SpaceError("Make another member a moderator before you leave.")
    membership.delete()
    if space.members_only:
        _drop_subscriptions(space, person)


def only_member(space: Space, person: Person) -> bool:
    """Whether `person` is the space's one member (nobody to hand it over to)."""
    members = list(Membership.objects.filter(space=space).values_list("person_id", flat=True)[:2])
    return members == [person.pk]


def needs_approval(space: Space, person: Person) -> bool:
    """Whether joining takes a moderator's approval: members-only spaces, and anyone a
    moderator removed (until a moderator lets them back in)."""
    return space.members_only or _was_removed(space, person)


@transaction.atomic
def ask_to_join(space: Space, person: Person, message: str = "") -> Membership | JoinRequest:
    """What the join button does: join an open space at once, or ask its moderators."""
    if space.is_member(person):
        return Membership.objects.get(space=space, person=person)
    if not needs_approval(space, person):
        return join(space, person)
    if len(message) > 500:
        raise SpaceError("Keep the message under 500 characters.", "message")
    request, created = JoinRequest.objects.get_or_create(
        space=space, person=person, defaults={"message": message.strip()}
    )
    if created:
        _tell_moderators(space, person)
    return request


def _request_key(space: Space, person: Person) -> str:
    return f"join:{space.pk}:{person.pk}"


def _request_notices(space: Space, person: Person):
    """The notifications moderators got about `person`'s request to join `space`."""
    return Notification.objects.filter(
        kind=Notification.Kind.JOIN_REQUEST, object_key=_request_key(space, person)
    )


def _tell_moderators(space: Space, person: Person) -> None:
    """Each moderator hears of a new request to join (unless they blocked or muted the
    person), with a link to the members page where requests are answered."""
    _request_notices(space, person).delete()  # an earlier, answered request's notices
    moderators = Person.objects.filter(
        space_memberships__space=space, space_memberships__role=Membership.Role.MODERATOR
    )
    url = reverse("spaces:members", args=[space.slug])
    for moderator in moderators:
        if wants_to_hear_from(moderator, person):
            notify(
                moderator,
                person,
                Notification.Kind.JOIN_REQUEST,
                url=url,
                data={"space": space.name},
                object_key=_request_key(space, person),
            )


def _request_answered(space: Space, person: Person) -> None:
    """Once one moderator answers a request, every moderator's notice of it is read."""
    _request_notices(space, person).unread().update(read_at=timezone.now())


@transaction.atomic
def approve_request(space: Space, by: Person, person: Person) -> Membership:
    """A moderator lets someone in who asked to join."""
    _require_moderator(space, by)
    if not JoinRequest.objects.filter(space=space, person=person).exists():
        raise SpaceError("There is no such request.")
    membership = join(space, person)
    ModerationAction.objects.create(space=space, moderator=by, action=Action.APPROVE, person=person)
    return membership


@transaction.atomic
def decline_request(space: Space, by: Person, person: Person) -> None:
    """A moderator turns a request to join down."""
    _require_moderator(space, by)
    deleted, _ = JoinRequest.objects.filter(space=space, person=person).delete()
    if not deleted:
        raise SpaceError("There is no such request.")
    _request_answered(space, person)
    ModerationAction.objects.create(space=space, moderator=by, action=Action.DECLINE, person=person)


@transaction.atomic
def remove_member(space: Space, by: Person, person: Person, reason: str = "") -> None:
    """A moderator removes a member (not another moderator); they must ask to come back."""
    _require_moderator(space, by)
    if len(reason) > 500:
        raise SpaceError("Keep the reason under 500 characters.", "reason")
    membership = Membership.objects.filter(space=space, person=person).first()
    if membership is None:
        raise SpaceError("That person is not a member.")
    if membership.role == Membership.Role.MODERATOR:
        raise SpaceError("Moderators cannot be removed; they can step down.")
    membership.delete()
    _drop_subscriptions(space, person)
    ModerationAction.objects.create(
        space=space, moderator=by, action=Action.REMOVE, person=person, reason=reason.strip()
    )
    notify(
        person,
        by,
        Notification.Kind.SPACE_REMOVED,
        url=space.get_absolute_url(),
        data={"space": space.name},
        object_key=f"space:{space.pk}",
    )


@transaction.atomic
def step_down(space: Space, person: Person) -> None:
    """A moderator becomes a plain member, if another moderator remains."""
    membership = Membership.objects.filter(
        space=space, person=person, role=Membership.Role.MODERATOR
    ).first()
    if membership is None:
        raise SpaceError("You are not a moderator here.")
    if _moderator_count(space) == 1:
        raise SpaceError("Make another member a moderator first.")
    membership.role = Membership.Role.MEMBER
    membership.save(update_fields=["role"])
    ModerationAction.objects.create(space=space, moderator=person, action=Action.STEP_DOWN)


def _require_moderator(space: Space, person: Person) -> None:
    if not space.is_moderator(person):
        raise SpaceError("Only the space's moderators can do that.")


def _moderator_count(space: Space) -> int:
    return Membership.objects.filter(space=space, role=Membership.Role.MODERATOR).count()


def _was_removed(space: Space, person: Person) -> bool:
    """Whether the last word on `person` in this space was a removal."""
    last = (
        ModerationAction.objects.filter(
            space=space, person=person, action__in=[Action.REMOVE, Action.APPROVE]
        )
        .order_by("-created_at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return last == Action.REMOVE


def _drop_subscriptions(space: Space, person: Person) -> None:
    SpaceSubscription.objects.filter(space=space, person=person).delete()
    ThreadSubscription.objects.filter(thread__space=space, person=person).delete()
