"""The list of spaces, a space's page, creating and editing one, joining, leaving, following."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.validators import handle_held_by_person
from connective.accounts.viewer import current_person, viewer_person
from connective.content.views.common import bad_action, private
from connective.core.uris import site_host
from connective.spaces.errors import SpaceError
from connective.spaces.forms import JoinForm, SpaceForm
from connective.spaces.models import JoinRequest, Space
from connective.spaces.services import membership, subscriptions
from connective.spaces.services.deletion import can_delete
from connective.spaces.services.listing import latest_posts, spaces_for, threads_for
from connective.spaces.services.reading import can_read
from connective.spaces.services.spaces import create_space, edit_space
from connective.spaces.views.common import page_of, space_or_404
from connective.topics.models import Topic


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every space by last activity; "my spaces" and one topic as filters."""
    viewer = viewer_person(request)
    mine = request.GET.get("mine") == "1" and viewer is not None
    topic = Topic.objects.filter(key=request.GET.get("topic", "")[:100]).first()
    page = page_of(request, spaces_for(viewer, mine=mine, topic_key=topic.key if topic else ""))
    latest = latest_posts(list(page), viewer)
    for space in page:
        space.latest = latest.get(space.pk)
    context = {"page": page, "mine": mine, "topic": topic, "viewer": viewer, "nav": "spaces"}
    return private(render(request, "spaces/index.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Start a new space; its creator becomes its moderator."""
    viewer = current_person(request)
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = create_space(viewer, **form.cleaned_data)
        except SpaceError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "Your space is ready. Start its first thread.")
            return redirect(space)
    status = 400 if form.errors else 200
    context = {"form": form, "nav": "spaces"}
    return private(render(request, "spaces/form.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A moderator changes the space's name, description, topics and openness."""
    viewer = current_person(request)
    space = space_or_404(slug)
    if not space.is_moderator(viewer):
        raise PermissionDenied("Only the space's moderators can edit it.")
    initial = {
        "name": space.name,
        "description": space.description,
        "topics": ", ".join(t.name for t in space.topics.all()),
        "members_only": space.members_only,
    }
    form = SpaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edit_space(space, viewer, **form.cleaned_data)
        except SpaceError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect(space)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "space": space,
        "nav": "spaces",
        "can_delete": can_delete(space, viewer),
    }
    return private(render(request, "spaces/form.html", context, status=status))


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A space: what it is for, and its threads (pinned first) to those who may read them."""
    viewer = viewer_person(request)
    space = space_or_404(slug)
    readable = can_read(space, viewer)
    context: dict[str, Any] = {
        "space": space,
        "viewer": viewer,
        "nav": "spaces",
        "readable": readable,
        "page": page_of(request, threads_for(space, viewer)) if readable else None,
        "is_member": space.is_member(viewer),
        "is_moderator": space.is_moderator(viewer),
        "follows": subscriptions.follows_space(viewer, space),
        "requested": viewer is not None
        and JoinRequest.objects.filter(space=space, person=viewer).exists(),
        "needs_approval": viewer is not None and membership.needs_approval(space, viewer),
        "join_form": JoinForm(),
        "moderators": space.memberships.filter(role="moderator").select_related("person"),
        "member_count": space.memberships.count(),
        "waiting": space.join_requests.count() if space.is_moderator(viewer) else 0,
        "topics": list(space.topics.all()),
        "fediverse_handle": fediverse_handle(space),
        "can_delete": can_delete(space, viewer),
    }
    return private(render(request, "spaces/space.html", context))


def fediverse_handle(space: Space) -> str:
    """How people elsewhere find a space (`@slug@host`, docs/FEDERATION.md; a members-only one
    too: found, it refuses followers), or "" when it has no such name: a course's discussion
    space (the course's Group speaks for it), one being deleted, or one whose slug is a
    person's handle here, deleted people included (people come first). WebFinger asks this
    very function, so the page and WebFinger always agree."""
    if space.deleted_at is not None:
        return ""
    if space.courses.exists() or handle_held_by_person(space.slug):  # type: ignore[attr-defined]
        return ""
    return f"@{space.slug}@{site_host()}"


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join an open space, or ask the moderators of a members-only one."""
    viewer = current_person(request)
    space = space_or_404(slug)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        result = membership.ask_to_join(space, viewer, message)
    except SpaceError as exc:
        messages.error(request, exc.message)
    else:
        if not isinstance(result, JoinRequest):  # a request: the page itself says it waits
            messages.success(request, f"You joined {space.name}.")
    return redirect(space)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave a space (or withdraw a request to join)."""
    viewer = current_person(request)
    space = space_or_404(slug)
    try:
        membership.leave(space, viewer)
    except SpaceError as exc:
        if membership.only_member(space, viewer) and can_delete(space, viewer):
            messages.info(
                request, "You are its only member, so nobody can run it after you: delete it?"
            )
            return redirect("spaces:delete", space.slug)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You left {space.name}.")
    return redirect(space)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow a space (hear of its new threads) or stop (`action` = follow | unfollow)."""
    viewer = current_person(request)
    space = space_or_404(slug)
    action = request.POST.get("action", "")
    if action not in ("follow", "unfollow"):
        return bad_action("Choose follow or unfollow.")
    try:
        if action == "unfollow":
            subscriptions.unfollow_space(viewer, space)
        else:
            subscriptions.follow_space(viewer, space)
    except SpaceError as exc:
        messages.error(request, exc.message)
    return redirect(space)
