"""Small helpers for htmx requests."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether the request came from htmx (it sends `HX-Request: true`)."""
    return request.headers.get("HX-Request") == "true"
