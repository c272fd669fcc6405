"""Create and look up people."""

from django.db import transaction

from connective.accounts.models import Person, User
from connective.core import events
from connective.core.uris import absolute_uri


def local_person_uri(handle: str) -> str:
    """The canonical URI of a local person (also their profile page)."""
    return absolute_uri(f"/@{handle}")


@transaction.atomic
def create_local_person(user: User, display_name: str = "") -> Person:
    """The Person for a new local user: handle = username, canonical URI from the site URL."""
    existing = Person.objects.filter(user=user).first()
    if existing:
        return existing
    person = Person.objects.create(
        user=user,
        handle=user.username,
        uri=local_person_uri(user.username),
        display_name=display_name[:100],
    )
    events.announce(events.PERSON_CREATED, person=person)
    return person


def person_by_path_handle(path_handle: str) -> Person | None:
    """The person for `handle` (local) or `handle@domain` (remote), or None."""
    handle, _, domain = path_handle.lstrip("@").partition("@")
    return (
        Person.objects.active()
        .filter(handle__iexact=handle, domain=domain.lower())
        .select_related("user")
        .first()
    )
