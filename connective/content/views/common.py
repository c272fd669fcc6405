"""Small helpers the content views share."""

from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

from connective.accounts.redirects import is_safe_next

R = TypeVar("R", bound=HttpResponseBase)


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it is a path on this site (SECURITY T-25), else ''."""
    return url if url and is_safe_next(url) else ""


def private(response: R) -> R:
    """Keep a page out of shared caches: what it shows depends on who is asking (T-29)."""
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def bad_action(message: str) -> HttpResponse:
    """A 400 for a form post whose `action` is missing or unknown (nothing was changed)."""
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
