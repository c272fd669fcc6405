"""My PLN map, its health, and dated snapshots (private by default, public on request)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.core.uris import absolute_uri
from connective.discovery.models import MapSnapshot
from connective.discovery.services.snapshots import (
    SnapshotError,
    build_map,
    delete_snapshot,
    public_svg,
    save_snapshot,
    set_public,
)
from connective.discovery.views.common import MAX_ID, private

# The standalone SVG may show nothing but itself: no script, no fetches, no framing tricks.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@login_required
def pln_map(request: HttpRequest) -> HttpResponse:
    """The map, the same content as a list, and the network's health."""
    viewer = current_person(request)
    view = build_map(viewer)
    context = {"nav": "network", "map": view, "health": view.health}
    return private(render(request, "discovery/map.html", context))


def _own(viewer: Person, pk: int) -> MapSnapshot:
    """One of the viewer's snapshots; anyone else's (or none) is the same 404."""
    if pk > MAX_ID:
        raise Http404
    snapshot = MapSnapshot.objects.filter(owner_id=viewer.pk, pk=pk).first()
    if snapshot is None:
        raise Http404
    return snapshot


@login_required
@require_http_methods(["GET", "POST"])
def snapshots(request: HttpRequest) -> HttpResponse:
    """List my snapshots (GET) or save today's map (POST)."""
    viewer = current_person(request)
    if request.method == "POST":
        try:
            snapshot = save_snapshot(viewer)
        except SnapshotError as exc:
            messages.error(request, str(exc))
            return redirect("discovery:snapshots")
        messages.success(request, "Snapshot saved.")
        return redirect(snapshot)
    rows = MapSnapshot.objects.filter(owner_id=viewer.pk).defer("svg", "layout", "public_svg")
    context = {"nav": "network", "snapshots": rows[:100]}
    return private(render(request, "discovery/snapshots.html", context))


def _embed(snapshot: MapSnapshot) -> tuple[str, str]:
    """The Markdown that shows the public map in a post, and the composer link with it."""
    src = absolute_uri(snapshot.public_path())
    markdown = f"![{snapshot.summary}]({src})"
    query = urlencode(
        {
            "kind": "article",
            "title": "My learning network",
            "body": markdown,
            "topics": "Personal Learning Networks",
        }
    )
    return markdown, f"{reverse('content:compose')}?{query}"


@login_required
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """One snapshot: its picture, its health figures, publish, embed, delete."""
    item = _own(current_person(request), pk)
    markdown, compose_url = _embed(item)
    context = {
        "nav": "network",
        "snapshot": item,
        "health": item.health,
        "embed_markdown": markdown,
        "compose_url": compose_url,
        "public_url": absolute_uri(item.public_path()),
    }
    return private(render(request, "discovery/snapshot.html", context))


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = SVG_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def snapshot_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's own copy of the picture (with every name)."""
    item = _own(current_person(request), pk)
    return private(_svg_response(item.svg))


def snapshot_public(request: HttpRequest, token: str) -> HttpResponse:
    """A published snapshot for anyone, drawn now: only names their people allow now show.
    A suspended owner's snapshots are not served."""
    item = (
        MapSnapshot.objects.filter(token=token[:64], public=True, owner__suspended_at__isnull=True)
        .select_related("owner")
        .first()
    )
    if item is None:
        raise Http404
    response = _svg_response(public_svg(item))
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_POST
def snapshot_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a snapshot public (embeddable) or private again."""
    item = _own(current_person(request), pk)
    public = request.POST.get("public") == "1"
    set_public(item, public)
    messages.success(request, "The snapshot is public." if public else "The snapshot is private.")
    return redirect(item)


@login_required
@require_POST
def snapshot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of my snapshots."""
    delete_snapshot(_own(current_person(request), pk))
    messages.success(request, "Snapshot deleted.")
    return redirect("discovery:snapshots")
