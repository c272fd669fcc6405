"""Canonical absolute URIs, built from CONNECTIVE_SITE_URL (never from the Host header)."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_web_url = URLValidator(schemes=["http", "https"])
# The common case, plain ASCII, as URLValidator's own pattern reads it (its host, domain and top
# level patterns without their non-ASCII ranges, no user:password@): whatever this accepts the
# validator accepts too, at a tenth of its cost (a feed poll checks every item's link).
_ASCII_WEB_URL = re.compile(
    r"https?://"
    r"(?:(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)"
    r"(?:\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}"
    r"|(?P<host>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*"
    r"\.(?!-)(?:[a-z-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\.?)|localhost)"
    r"(?::[0-9]{1,5})?(?:[/?#][\x21-\x7e]*)?",
    re.IGNORECASE,
)
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x1f\s]")


def absolute_uri(path: str) -> str:
    """The absolute URL of a local path on this instance."""
    if not path.startswith("/"):
        path = "/" + path
    return f"{settings.CONNECTIVE_SITE_URL}{path}"


def site_host() -> str:
    """This instance's host as used in handles (user@host): the site URL's host name, with its
    port when it is not the scheme's default (`ana@127.0.0.1:8000`, as Mastodon writes an
    instance on a port), so a handle always leads back here through WebFinger."""
    return _handle_host(settings.CONNECTIVE_SITE_URL, str(settings.SITE_HOST))


def _handle_host(site_url: str, fallback: str) -> str:
    parts = urlsplit(site_url)
    host = parts.hostname or fallback
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != default else host


def is_local_uri(uri: str) -> bool:
    """Whether a URI belongs to this instance."""
    return uri == settings.CONNECTIVE_SITE_URL or uri.startswith(settings.CONNECTIVE_SITE_URL + "/")


def is_web_url(url: str) -> bool:
    """Whether `url` is a plain absolute http(s) address with a host.

    Refuses javascript:, data:, relative paths, user:password@ and control characters: the one
    check every link a person gives us (profile links, resources, where-we-met) goes through.
    """
    if not url or _SPACE_OR_CONTROL.search(url):
        return False
    fast = _ASCII_WEB_URL.fullmatch(url) if len(url) <= 2048 else None
    if fast is not None and len(fast.group("host") or "") <= 253:
        return True
    try:
        _web_url(url)
        parts = urlsplit(url)
    except (ValidationError, ValueError):
        return False
    return bool(parts.hostname) and "@" not in parts.netloc
