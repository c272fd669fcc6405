"""Where a `next` parameter may send a person: only to a path on this site (T-25)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(url: str | None) -> bool:
    """True for a path on this site (`/…`); never `//host`, `/\\host`, a scheme or a bare word."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's `next` (POST, then GET) if it is a path on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe_next(target) else fallback
