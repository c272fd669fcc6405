"""Create administrators from the command line."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from connective.accounts.models import Person, User
from connective.accounts.services.people import create_local_person
from connective.accounts.validators import handle_format, not_reserved


class AdminError(Exception):
    """The administrator cannot be created; the message says why."""


def _check_handle(handle: str) -> str:
    try:
        handle_format(handle)
        not_reserved(handle)
    except ValidationError as exc:
        raise AdminError(f"Handle “{handle}”: {' '.join(exc.messages)}") from exc
    handle = handle.lower()
    taken = User.objects.filter(username__iexact=handle).exists()
    if taken or Person.objects.local().filter(handle__iexact=handle).exists():
        raise AdminError(f"The handle @{handle} is already taken.")
    return handle


def _check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise AdminError(f"“{email}” is not a valid email address.") from exc
    taken = EmailAddress.objects.filter(email__iexact=email).exists()
    if taken or User.objects.filter(email__iexact=email).exists():
        raise AdminError(f"The email address {email} is already in use.")
    return email


def create_admin(handle: str, email: str, password: str) -> Person:
    """A superuser with a verified primary email and a Person; AdminError if anything is off."""
    handle = _check_handle((handle or "").strip())
    email = _check_email(email or "")
    user = User(username=handle, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AdminError("Password: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        user = User.objects.create_superuser(username=handle, email=email, password=password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return create_local_person(user, display_name=handle)
