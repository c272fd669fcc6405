"""My network, requests waiting for me, and ending a connection."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from connective.accounts.viewer import current_person
from connective.core.pagination import BadCursor
from connective.network.models import Connection
from connective.network.services import connections as service
from connective.network.services.listing import (
    direction_choices,
    incoming_count,
    network_page,
    parse_filters,
    pending_requests,
    people_to_start_with,
    topics_in_network,
)

BAD_CURSOR = "That page link is not valid."


def _bad_cursor() -> HttpResponse:
    return HttpResponse(BAD_CURSOR, status=400, content_type="text/plain")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My connections with their purpose, filterable by topic, direction and side."""
    viewer = current_person(request)
    filters = parse_filters(viewer, request.GET)
    try:
        page = network_page(viewer, filters, request.GET.get("cursor") or None)
    except BadCursor:
        return _bad_cursor()
    cursor_given = bool(request.GET.get("cursor"))
    empty = not page.items and not filters.active and not cursor_given
    context = {
        "page": page,
        "filters": filters,
        "directions": direction_choices(filters.incoming),
        "topic_choices": topics_in_network(viewer, filters.incoming),
        "empty_network": empty,
        "starters": people_to_start_with(viewer) if empty else [],
        "incoming_count": incoming_count(viewer) if empty else 0,
        "query": _query_without_cursor(request),
        "pending_count": Connection.objects.pending().filter(target=viewer).count(),
        "dormant_days": settings.CONNECTIVE_DORMANT_DAYS,
        "nav": "network",
    }
    return render(request, "network/index.html", context)


def _query_without_cursor(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("cursor", None)
    return params.urlencode()


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    """Connection requests waiting for my answer, with the requester's purpose."""
    viewer = current_person(request)
    try:
        page = pending_requests(viewer, request.GET.get("cursor") or None)
    except BadCursor:
        return _bad_cursor()
    return render(request, "network/requests.html", {"page": page, "nav": "network"})


def _my_request(request: HttpRequest, pk: int) -> Connection:
    """A pending connection to the viewer; 404 for anyone else's, or one already answered."""
    viewer = current_person(request)
    qs = Connection.objects.pending().select_related("owner")
    return get_object_or_404(qs, pk=pk, target=viewer)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a request: the requester's connection becomes active."""
    conn = _my_request(request, pk)
    service.accept(current_person(request), conn)
    messages.success(
        request, format_html("<bdi>{}</bdi> is now connected with you.", conn.owner.name)
    )
    return redirect("network:requests")


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a request; the requester is not told."""
    conn = _my_request(request, pk)
    service.decline(current_person(request), conn)
    messages.success(request, format_html("You declined <bdi>{}</bdi>’s request.", conn.owner.name))
    return redirect("network:requests")


@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of my connections (or withdraw my request); GET asks to confirm."""
    viewer = current_person(request)
    conn = get_object_or_404(Connection.objects.select_related("target"), pk=pk, owner=viewer)
    if request.method != "POST":
        return render(request, "network/remove.html", {"connection": conn, "nav": "network"})
    service.remove(viewer, conn.target)
    text = "You ended your connection with <bdi>{}</bdi>."
    if not conn.is_active:
        text = "You withdrew your request to <bdi>{}</bdi>."
    messages.success(request, format_html(text, conn.target.name))
    return redirect("network:index")
