"""Look someone up on another server by handle or profile URL, then show them here."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_safe

from connective.accounts.models import Person
from connective.accounts.viewer import viewer_person
from connective.content.models import Post
from connective.core import throttle
from connective.core.uris import is_web_url, site_host
from connective.federation.services.resolve import (
    NotAllowed,
    NotAnActor,
    NotFound,
    ResolveError,
    TimedOut,
    resolve_handle,
    resolve_url,
)

MAX_QUERY = 600
# A handle with no server (`joao`, `@joao`): what people see next to names here, so they type it.
BARE_HANDLE = re.compile(r"^@?([A-Za-z0-9_][A-Za-z0-9_.\-]{0,63})$")


def looks_like_lookup(query: str) -> bool:
    """Whether a search query is a fediverse handle or a web address (the search page asks)."""
    query = query.strip()
    if query.startswith(("https://", "http://")):
        return is_web_url(query)
    return query.lstrip("@").count("@") == 1 and " " not in query


def find_person(query: str) -> Person:
    """The person a handle or URL names; a ResolveError subclass says what went wrong."""
    query = query.strip()
    if query.startswith(("https://", "http://")):
        if not is_web_url(query):
            raise NotFound("That is not a web address we can look up.")
        return resolve_url(query)
    bare = BARE_HANDLE.match(query)
    if bare:
        return _local_by_handle(bare.group(1))
    return resolve_handle(query)


def _local_by_handle(name: str) -> Person:
    """Someone here by their handle alone, as `name@this-server` finds them."""
    try:
        return resolve_handle(f"{name}@{site_host()}")
    except NotFound as exc:
        raise NotFound(
            f"Nobody called {name} is on this server. For someone on another server, type "
            f"their full address, like @{name}@example.org."
        ) from exc


def profile_path(person: Person) -> str:
    """Where a person's profile is on this site (a space's or course's page for theirs)."""
    page = _local_actor_page(person)
    if page is not None:
        return page
    try:
        return person.get_absolute_url()
    except NoReverseMatch:  # a host with a port (test peers): the handle converter has no port
        return f"/@{person.path_handle}/"


@login_required
@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """/lookup/?q=@name@host, a profile URL, or the handle of someone here: find them and go to
    their profile here."""
    query = request.GET.get("q", "").strip()
    if not query:
        return render(request, "federation/lookup.html", {"q": ""})
    if throttle.throttled(request, "lookup"):
        seconds = throttle.retry_after("lookup")
        message = f"Too many look-ups in a short time; try again in {seconds} seconds."
        response = _error(request, query[:80], message, 429)
        response["Retry-After"] = str(seconds)
        return response
    if len(query) > MAX_QUERY:
        return _error(request, query[:80], "That is too long to be an address.", 400)
    try:
        person = find_person(query)
    except NotAnActor as exc:
        return _post_or_error(request, query, exc)
    except NotAllowed as exc:
        return _error(request, query, str(exc), 403)
    except TimedOut as exc:
        return _error(request, query, str(exc), 504)
    except NotFound as exc:
        return _error(request, query, str(exc), 404)
    except ResolveError as exc:
        return _error(request, query, str(exc), 502)
    if person.suspended_at is not None:
        return _error(request, query, "There is nobody at that address.", 404)
    return redirect(profile_path(person))


def _local_actor_page(person: Person) -> str | None:
    """Where one of our own spaces, courses or the instance actor is shown (None for people)."""
    from connective.federation.services import groups

    if not person.is_local or person.actor_type == "Person":
        return None
    group = groups.group_for(person)
    return group.get_absolute_url() if group is not None else "/"


def _post_or_error(request: HttpRequest, query: str, found: NotAnActor) -> HttpResponse:
    """A post's address: fetch the post from its own id and show it here, if anyone may see it."""
    from connective.federation.services.remote_objects import fetch_post

    post = fetch_post(found.object_id)
    if (
        post is None
        or not Post.objects.visible_to(viewer_person(request)).filter(pk=post.pk).exists()
    ):
        return _error(request, query, str(found), 404)
    return redirect(post.get_absolute_url())


def _error(request: HttpRequest, query: str, message: str, status: int) -> HttpResponse:
    return render(request, "federation/lookup.html", {"q": query, "error": message}, status=status)
