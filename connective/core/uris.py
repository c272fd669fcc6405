"""Canonical absolute URIs, built from CONNECTIVE_SITE_URL (never from the Host header)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_web_url = URLValidator(schemes=["http", "https"])


def absolute_uri(path: str) -> str:
    """The absolute URL of a local path on this instance."""
    if not path.startswith("/"):
        path = "/" + path
    return f"{settings.CONNECTIVE_SITE_URL}{path}"


def site_host() -> str:
    """This instance's host name, as used in handles (user@host)."""
    return str(settings.SITE_HOST)


def is_local_uri(uri: str) -> bool:
    """Whether a URI belongs to this instance."""
    return uri == settings.CONNECTIVE_SITE_URL or uri.startswith(settings.CONNECTIVE_SITE_URL + "/")


def is_web_url(url: str) -> bool:
    """Whether `url` is a plain absolute http(s) address with a host.

    Refuses javascript:, data:, relative paths, user:password@ and control characters: the one
    check every link a person gives us (profile links, resources, where-we-met) goes through.
    """
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        _web_url(url)
        parts = urlsplit(url)
    except (ValidationError, ValueError):
        return False
    return bool(parts.hostname) and "@" not in parts.netloc
