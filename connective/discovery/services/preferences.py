"""Choices a person makes about discovery: being suggested, and "not interested"."""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, transaction

from connective.accounts.models import Person
from connective.content.models import Post
from connective.discovery.models import DiscoveryPreference, Dismissal
from connective.network.models import Block


class DismissError(Exception):
    """A "not interested" request that names no kind we recommend."""


class NotFound(Exception):
    """The thing to dismiss does not exist or is not visible to the person (a 404)."""


def suggest_me(person: Person) -> bool:
    """Whether the person lets others see them in suggestions (True unless they opted out)."""
    pref = DiscoveryPreference.objects.filter(person_id=person.pk).first()
    return pref.suggest_me if pref else True


def set_suggest_me(person: Person, value: bool) -> DiscoveryPreference:
    """Opt in to or out of being suggested to others."""
    pref, _ = DiscoveryPreference.objects.update_or_create(
        person=person, defaults={"suggest_me": value}
    )
    return pref


def _exists(viewer: Person, kind: str, object_id: int) -> bool:
    """Whether `viewer` could have been shown this thing at all."""
    if kind == Dismissal.Kind.POST:
        return Post.objects.visible_to(viewer).filter(pk=object_id).exists()
    if kind == Dismissal.Kind.PERSON:
        blocked = Block.objects.filter(owner_id=object_id, target_id=viewer.pk)
        people = Person.objects.active().filter(pk=object_id)
        return people.exists() and not blocked.exists() and object_id != viewer.pk
    label = "spaces.Space" if kind == Dismissal.Kind.SPACE else "courses.Course"
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    return model.objects.filter(pk=object_id).exists()


def dismiss(viewer: Person, kind: str, raw_id: str) -> Dismissal:
    """Never recommend this to the viewer again. DismissError (400) or NotFound (404)."""
    if kind not in Dismissal.Kind.values:
        raise DismissError("That is not something we recommend.")
    try:
        object_id = int(raw_id)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < object_id < 2**63 or not _exists(viewer, kind, object_id):
        raise NotFound
    try:
        with transaction.atomic():
            return Dismissal.objects.create(person=viewer, kind=kind, object_id=object_id)
    except IntegrityError:
        return Dismissal.objects.get(person=viewer, kind=kind, object_id=object_id)


def undo_dismissals(viewer: Person) -> int:
    """Forget every "not interested" the viewer gave; returns how many there were."""
    deleted, _ = Dismissal.objects.filter(person_id=viewer.pk).delete()
    return deleted
