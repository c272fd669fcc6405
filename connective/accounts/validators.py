"""What a handle may look like."""

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


def not_reserved(value: str) -> None:
    """Refuse handles that would be confusing or collide with site paths."""
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError("This handle is reserved; please choose another.", code="reserved")


handle_format = RegexValidator(
    HANDLE_PATTERN,
    "A handle is 2–30 letters, digits or underscores (no spaces).",
    code="invalid_handle",
)
HANDLE_VALIDATORS = [handle_format, not_reserved]
