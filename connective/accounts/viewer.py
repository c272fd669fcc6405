"""The Person behind a request."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from connective.accounts.models import Person
from connective.core.prepared import Statements, row_by_key

# Every page asks for its viewer: the query is built once (prepared.py), not per request.
_STATEMENTS = Statements(limit=4)


def viewer_person(request: HttpRequest) -> Person | None:
    """The logged-in person, or None (cached on the request)."""
    if not hasattr(request, "_viewer_person"):
        user = getattr(request, "user", None)
        person = None
        if user is not None and user.is_authenticated:
            person = person_of_user(user.pk)
        request._viewer_person = person  # type: ignore[attr-defined]
    return request._viewer_person  # type: ignore[attr-defined]


def person_of_user(user_id: int) -> Person | None:
    """The Person of a user account (a unique key: one row or none)."""
    return row_by_key(_STATEMENTS, Person, "user_id", user_id)


def current_person(request: HttpRequest) -> Person:
    """The logged-in person, for views behind login_required; refuses a login without one."""
    person = viewer_person(request)
    if person is None:
        raise PermissionDenied("This account has no profile.")
    return person
