"""What a handle may look like, and which names are already someone's (or something's)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

HANDLE_PATTERN = r"^[A-Za-z0-9_]{2,30}$"
RESERVED_HANDLES = {
    "admin",
    "administrator",
    "root",
    "api",
    "accounts",
    "account",
    "static",
    "media",
    "settings",
    "people",
    "posts",
    "topics",
    "network",
    "notifications",
    "search",
    "spaces",
    "courses",
    "feeds",
    "inbox",
    "outbox",
    "well_known",
    "nodeinfo",
    "support",
    "help",
    "about",
    "connective",
    "moderator",
    "system",
    "instance",
}


# Other apps that give out names in the same `@name@host` namespace (federation: the spaces'
# and courses' Group actors) register a check here in their AppConfig.ready(): it returns a
# sentence saying whose the name is, or "" when it is free. Accounts sits below them in the
# layers, so it asks them this way instead of importing them.
NameCheck = Callable[[str], str]
_name_checks: list[NameCheck] = []


def register_name_check(check: NameCheck) -> None:
    """Add a check of names taken outside accounts (idempotent: ready() may run twice)."""
    if check not in _name_checks:
        _name_checks.append(check)


def handle_held_by_person(name: str) -> bool:
    """Whether a local person has this handle, deleted or suspended ones included: a person's
    handle is never given to anything else, so `@name@host` keeps meaning them (or nobody)."""
    from connective.accounts.models import Person

    people = Person.objects.local().filter(actor_type="Person")
    return people.filter(handle__iexact=name).exists()


def not_reserved(value: str) -> None:
    """Refuse handles that would be confusing, collide with site paths, or name a space or
    course here (its fediverse name)."""
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError("This handle is reserved; please choose another.", code="reserved")
    for check in _name_checks:
        holder = check(value)
        if holder:
            raise ValidationError(f"{holder} Please choose another handle.", code="taken")


handle_format = RegexValidator(
    HANDLE_PATTERN,
    "A handle is 2–30 letters, digits or underscores (no spaces).",
    code="invalid_handle",
)
HANDLE_VALIDATORS = [handle_format, not_reserved]
