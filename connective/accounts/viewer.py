"""The Person behind a request."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from connective.accounts.models import Person


def viewer_person(request: HttpRequest) -> Person | None:
    """The logged-in person, or None (cached on the request)."""
    if not hasattr(request, "_viewer_person"):
        user = getattr(request, "user", None)
        person = None
        if user is not None and user.is_authenticated:
            person = Person.objects.filter(user_id=user.pk).first()
        request._viewer_person = person  # type: ignore[attr-defined]
    return request._viewer_person  # type: ignore[attr-defined]


def current_person(request: HttpRequest) -> Person:
    """The logged-in person, for views behind login_required; refuses a login without one."""
    person = viewer_person(request)
    if person is None:
        raise PermissionDenied("This account has no profile.")
    return person
