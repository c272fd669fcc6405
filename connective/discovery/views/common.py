"""Small helpers the discovery views share."""

from typing import TypeVar

from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

R = TypeVar("R", bound=HttpResponseBase)
MAX_ID = 2**63 - 1


def private(response: R) -> R:
    """Keep a page out of shared caches: what it shows depends on who is asking (T-29)."""
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response
