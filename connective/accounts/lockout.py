"""What django-axes uses: the normalised account name, and a 429 answer with Retry-After."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("connective.accounts")


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """The login name, case-folded and stripped, so `Ana`, `ana ` and `ANA` count together."""
    credentials = credentials or {}
    raw = (
        credentials.get("username")
        or credentials.get("email")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(raw).strip().casefold()


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
    *args: object,
    **kwargs: object,
) -> HttpResponse:
    """Too many failed logins: 429 with Retry-After and a page that says when to try again.

    axes 8 calls this with (request, original_response, credentials).
    """
    seconds = int(float(settings.AXES_COOLOFF_TIME) * 3600)
    logger.warning("login locked out for %r", username_from_request(request, credentials))
    body = render_to_string("accounts/locked_out.html", {"minutes": seconds // 60}, request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response
