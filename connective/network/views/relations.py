"""Block and mute people, undo it, and list whom I block and mute."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from connective.accounts.models import Person
from connective.accounts.redirects import safe_next
from connective.accounts.services.people import person_by_path_handle
from connective.accounts.viewer import current_person
from connective.network.models import Block, Mute
from connective.network.purpose import purpose_html, purpose_phrase
from connective.network.services import relations as service

DONE = {
    "block": "You blocked <bdi>{}</bdi>. Connections between you have ended, and they can no "
    "longer see your posts, connect with you or mention you.",
    "unblock": "You unblocked <bdi>{}</bdi>.",
    "mute": "You muted <bdi>{}</bdi>. You will not see their posts or hear from them; "
    "they are not told.",
    "unmute": "You unmuted <bdi>{}</bdi>.",
}
ACTIONS: dict[str, Callable[[Person, Person], object]] = {
    "block": service.block,
    "unblock": service.unblock,
    "mute": service.mute,
    "unmute": service.unmute,
}


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    """The people I block and mute, each with an undo button."""
    viewer = current_person(request)
    context = {
        "blocks": Block.objects.filter(owner=viewer).select_related("target").order_by("-id"),
        "mutes": Mute.objects.filter(owner=viewer).select_related("target").order_by("-id"),
        "nav": "network",
    }
    return render(request, "network/blocked.html", context)


def _back(request: HttpRequest, person: Person) -> HttpResponse:
    """Back to where the form asked (same host only, T-25), else to the person's profile."""
    return redirect(safe_next(request, person.get_absolute_url()))


def _act(request: HttpRequest, handle: str, action: str) -> HttpResponse:
    viewer = current_person(request)
    target = person_by_path_handle(handle)
    if target is None:
        raise Http404
    if target.pk == viewer.pk:
        messages.error(request, f"You cannot {action} yourself.")
        return _back(request, target)
    ACTIONS[action](viewer, target)
    messages.success(request, format_html(DONE[action], target.name))
    return _back(request, target)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def block_view(request: HttpRequest, handle: str) -> HttpResponse:
    """Block someone: connections both ways end and they can no longer reach me. GET asks
    first, saying what will be deleted, since unblocking does not bring it back."""
    if request.method == "POST":
        return _act(request, handle, "block")
    viewer = current_person(request)
    target = person_by_path_handle(handle)
    if target is None:
        raise Http404
    if target.pk == viewer.pk:
        messages.error(request, "You cannot block yourself.")
        return _back(request, target)
    if Block.objects.filter(owner=viewer, target=target).exists():
        messages.info(request, format_html("You already block <bdi>{}</bdi>.", target.name))
        return _back(request, target)
    return render(request, "network/block.html", _block_context(request, viewer, target))


def _block_context(request: HttpRequest, viewer: Person, target: Person) -> dict[str, object]:
    """The confirmation page's context: each connection that will end, as its sentence."""
    loss = service.what_block_ends(viewer, target)
    mine = theirs = None
    if loss.mine is not None:
        names = [t.name for t in loss.mine.topics.all()]
        lead = "You connected {}" if loss.mine.is_active else "You asked to connect {}"
        mine = format_html(lead, purpose_html(loss.mine.direction, names, target.name))
    if loss.theirs is not None:
        names = [t.name for t in loss.theirs.topics.all()]
        lead = "connected" if loss.theirs.is_active else "asks to connect"
        theirs = format_html(
            "<bdi>{}</bdi> {} {}", target.name, lead, purpose_phrase(loss.theirs.direction, names)
        )
    back = safe_next(request, target.get_absolute_url())
    return {
        "person": target,
        "loss": loss,
        "mine_sentence": mine,
        "their_sentence": theirs,
        "next": back,
        "nav": "network",
    }


@login_required
@require_POST
def unblock_view(request: HttpRequest, handle: str) -> HttpResponse:
    """Lift a block."""
    return _act(request, handle, "unblock")


@login_required
@require_POST
def mute_view(request: HttpRequest, handle: str) -> HttpResponse:
    """Mute someone: out of my stream and notifications; they are not told."""
    return _act(request, handle, "mute")


@login_required
@require_POST
def unmute_view(request: HttpRequest, handle: str) -> HttpResponse:
    """Lift a mute."""
    return _act(request, handle, "unmute")
