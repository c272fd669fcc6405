"""Create notifications and mark them read."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.notifications.models import Notification


def notify(
    recipient: Person,
    actor: Person | None,
    kind: str,
    *,
    url: str = "",
    data: dict[str, Any] | None = None,
    object_key: str = "",
) -> Notification | None:
    """Tell a local person something happened; once per (actor, kind, object_key) if a key is given.

    Callers decide whether the recipient wants it (blocks and mutes live in the network app).
    """
    if not recipient.is_local or (actor is not None and actor.pk == recipient.pk):
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                actor=actor,
                kind=kind,
                url=url,
                data=data or {},
                object_key=object_key,
            )
    except IntegrityError:
        return None


def unread_count(person: Person) -> int:
    """How many notifications the person has not seen."""
    return Notification.objects.filter(recipient=person).unread().count()


def mark_all_read(person: Person) -> int:
    """Mark every notification read; returns how many changed."""
    return Notification.objects.filter(recipient=person).unread().update(read_at=timezone.now())
