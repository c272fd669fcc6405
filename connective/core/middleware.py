"""Infrastructure middleware."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("connective.core")


class DatabaseUnavailableMiddleware:
    """Answer 503 with a calm page, not a 500 traceback, while the database is unreachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if "locked" in str(exception):
            return None
        logger.error("database unavailable: %s", exception)
        body = render_to_string("core/unavailable.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response


class RetryAfterMiddleware:
    """Every 429 tells the client when to come back (some throttles forget to)."""

    DEFAULT_SECONDS = "60"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = self.DEFAULT_SECONDS
        return response
