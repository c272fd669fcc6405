"""Helpers the spaces views share."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from connective.accounts.models import Person
from connective.spaces.models import Space, Thread
from connective.spaces.services.reading import find_thread

PER_PAGE = 30
NOT_FOUND = "No such thread."
MAX_ID = 2**63 - 1  # beyond a database integer: the same 404, not an overflow


def space_or_404(slug: str) -> Space:
    """The space at `slug` (a space's name and description are never secret)."""
    return get_object_or_404(Space, slug=slug)


def thread_or_404(space: Space, pk: int, viewer: Person | None) -> Thread:
    """The thread, or the one 404 for hidden and missing threads alike."""
    thread = find_thread(space, pk, viewer) if 0 < pk <= MAX_ID else None
    if thread is None:
        raise Http404(NOT_FOUND)
    return thread


def page_of(request: HttpRequest, items: QuerySet) -> Page:
    """One page (?page=N) of `items`; a bad number gives the first or last page, never an error."""
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
