"""Moderators' pages and actions: members and requests, pin, lock, hide, the log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.models import Post
from connective.content.views.common import private
from connective.spaces.errors import SpaceError
from connective.spaces.forms import HideForm
from connective.spaces.models import Space, Thread
from connective.spaces.services import membership
from connective.spaces.services import moderation as mod
from connective.spaces.services.reading import find_thread
from connective.spaces.services.spaces import add_moderator
from connective.spaces.views.common import MAX_ID, space_or_404, thread_or_404
from connective.spaces.views.threads import thread_url


def _moderated(request: HttpRequest, slug: str) -> tuple[Space, Person]:
    """The space and the viewer, who must be one of its moderators (403 otherwise)."""
    viewer = current_person(request)
    space = space_or_404(slug)
    if not space.is_moderator(viewer):
        raise PermissionDenied("Only the space's moderators can do that.")
    return space, viewer


@login_required
@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Members, moderators and requests to join, with what a moderator can do about each."""
    space, viewer = _moderated(request, slug)
    context = {
        "space": space,
        "viewer": viewer,
        "nav": "spaces",
        "memberships": space.memberships.select_related("person").order_by("-role", "joined_at"),
        "requests": space.join_requests.select_related("person"),
    }
    return private(render(request, "spaces/members.html", context))


MEMBER_ACTIONS = {"approve", "decline", "remove", "promote", "step_down"}


@login_required
@require_POST
def member(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """approve | decline a request; remove | promote a member; step_down (oneself)."""
    space, viewer = _moderated(request, slug)
    person = get_object_or_404(Person, pk=min(person_id, MAX_ID))
    action = request.POST.get("action", "")
    try:
        if action not in MEMBER_ACTIONS:
            raise SpaceError("Unknown action.")
        _member_action(space, viewer, person, action, request.POST.get("reason", ""))
    except SpaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Done.")
    return redirect("spaces:members", slug=space.slug)


def _member_action(space: Space, viewer: Person, person: Person, action: str, reason: str) -> None:
    if action == "approve":
        membership.approve_request(space, viewer, person)
    elif action == "decline":
        membership.decline_request(space, viewer, person)
    elif action == "step_down":
        if person.pk != viewer.pk:
            raise SpaceError("Moderators step down for themselves.")
        membership.step_down(space, viewer)
    elif action == "remove":
        membership.remove_member(space, viewer, person, reason[:1000])
    else:
        add_moderator(space, viewer, person)


@login_required
@require_safe
def log(request: HttpRequest, slug: str) -> HttpResponse:
    """What the space's moderators did, newest first."""
    space, viewer = _moderated(request, slug)
    context = {"space": space, "nav": "spaces", "actions": mod.log_for(space, viewer)}
    return private(render(request, "spaces/log.html", context))


THREAD_ACTIONS = {"pin", "unpin", "lock", "unlock"}


@login_required
@require_POST
def thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """pin | unpin | lock | unlock a thread."""
    viewer = current_person(request)
    space = space_or_404(slug)
    found = thread_or_404(space, pk, viewer)
    if not space.is_moderator(viewer):
        raise PermissionDenied("Only the space's moderators can do that.")
    action = request.POST.get("action", "")
    if action not in THREAD_ACTIONS:
        messages.error(request, "Unknown action.")
    elif action in {"pin", "unpin"}:
        mod.pin(found, viewer, pinned=action == "pin")
    else:
        mod.lock(found, viewer, locked=action == "lock")
    return redirect(thread_url(found))


@login_required
@require_http_methods(["GET", "POST"])
def hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Hide a post of the space with a reason (or `action=unhide` to show it again)."""
    space, viewer = _moderated(request, slug)
    post = get_object_or_404(Post, pk=min(pk, MAX_ID), space=space, deleted_at__isnull=True)
    found = _thread_of(space, post, viewer)
    form = HideForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "unhide":
        mod.unhide(post, viewer)
        messages.success(request, "The post is shown again.")
        return redirect(f"{thread_url(found)}#post-{post.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            mod.hide(post, viewer, form.cleaned_data["reason"])
        except SpaceError as exc:
            form.add_error("reason" if exc.field else None, exc.message)
        else:
            messages.success(request, "The post is hidden; its author was told why.")
            return redirect(f"{thread_url(found)}#post-{post.pk}")
    status = 400 if form.errors else 200
    context = {"space": space, "post": post, "thread": found, "form": form, "nav": "spaces"}
    return private(render(request, "spaces/hide.html", context, status=status))


def _thread_of(space: Space, post: Post, viewer: Person) -> Thread:
    root_id = post.thread_root_id or post.pk
    found = find_thread(space, root_id, viewer)
    if found is None:
        raise Http404("No such post.")
    return found
