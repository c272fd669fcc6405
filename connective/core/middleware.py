"""Infrastructure middleware."""

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, ResolverMatch, URLResolver, get_resolver, get_urlconf
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("connective.core")


class DatabaseUnavailableMiddleware:
    """Answer 503 with a calm page, not a 500 traceback, while the database is unreachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return unavailable(exception)


def unavailable(exception: Exception) -> HttpResponse | None:
    """The calm 503 for a database that cannot be reached (None for any other error)."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    if "locked" in str(exception):
        return None
    logger.error("database unavailable: %s", exception)
    body = render_to_string("core/unavailable.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response


View = TypeVar("View", bound=Callable[..., HttpResponse])
MACHINE_TYPES = ("application/activity+json", "application/ld+json", "application/json")


def lean(view: View) -> View:
    """Mark a view that serves machines only (an ActivityPub inbox): no session, user, CSRF
    token, messages or page headers, so LeanEndpointMiddleware may call it directly."""
    view.lean = True  # type: ignore[attr-defined]
    return view


class LeanEndpointMiddleware:
    """Send a JSON POST to a `@lean` view straight to the view, past the middleware it does not
    need (sessions, authentication, CSRF, messages, CSP, htmx, allauth, axes): an inbox POST
    carries no cookie and answers an empty 202 or a plain-text refusal. The database-down 503
    still applies. Placed right after SecurityMiddleware (its HTTPS redirect still applies);
    every other request costs one string comparison here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith(
            MACHINE_TYPES
        ):
            match = _lean_route(get_resolver(get_urlconf()), request.path_info)
            if match is not None:
                request.resolver_match = match
                return self._call(request, match.func, match.args, match.kwargs)
        return self.get_response(request)

    @staticmethod
    def _call(
        request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            calm = unavailable(exc)
            if calm is None:
                raise
            response = calm
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


@lru_cache(maxsize=1024)
def _lean_route(resolver: URLResolver, path: str) -> ResolverMatch | None:
    """The match of a path served by a `@lean` view (None for any other path), kept per URL
    map: the shared inbox sits behind every app's patterns, and walking them cost a tenth of an
    inbox request. A new URL map (clear_url_caches(), another ROOT_URLCONF) is a new resolver,
    so nothing stale is found; a match is never changed by those who receive it."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return match if getattr(match.func, "lean", False) else None


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


class MethodNotAllowedPageMiddleware:
    """A browser that opens (GET) an address which only takes a form submission gets a short
    page saying so, not the empty 405 it would show as its own error page. ActivityPub and JSON
    clients keep the plain, empty 405; both keep the status and the Allow header. A 405 a view
    wrote a body for (an API's JSON error) is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        patch_vary_headers(response, ["Accept"])
        if not wants_page(request):
            return response
        page = HttpResponse(render_to_string("405.html", request=request), status=405)
        for header in ("Allow", "Vary"):
            if response.has_header(header):
                page[header] = response[header]
        return page


def wants_page(request: HttpRequest) -> bool:
    """Whether the client asks for HTML: it names text/html and prefers it to every machine
    type (a fediverse server asks for application/activity+json; `*/*` alone is no browser)."""
    if "text/html" not in request.headers.get("Accept", ""):
        return False
    return request.get_preferred_type(["text/html", *MACHINE_TYPES]) == "text/html"
