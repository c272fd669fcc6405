"""Canonical absolute URIs, built from CONNECTIVE_SITE_URL (never from the Host header)."""

from django.conf import settings


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
