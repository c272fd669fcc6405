"""Small helpers the content views share."""

from typing import TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

R = TypeVar("R", bound=HttpResponseBase)


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it points back into this site (SECURITY T-25), else ''."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def private(response: R) -> R:
    """Keep a page out of shared caches: what it shows depends on who is asking (T-29)."""
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response
