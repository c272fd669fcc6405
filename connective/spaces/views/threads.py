"""Starting a thread, reading one with its replies, replying, following it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.models import Person
from connective.accounts.viewer import current_person, viewer_person
from connective.content.views.common import bad_action, private
from connective.spaces.errors import SpaceError
from connective.spaces.forms import HideForm, ReplyForm, ThreadForm
from connective.spaces.models import Space, Thread
from connective.spaces.services import subscriptions
from connective.spaces.services.reading import reply_parent, thread_nodes
from connective.spaces.services.threads import edit_thread, start_thread
from connective.spaces.services.threads import reply as reply_in
from connective.spaces.views.common import NOT_FOUND, space_or_404, thread_or_404


def thread_url(thread: Thread) -> str:
    """The thread page's address."""
    return reverse("spaces:thread", kwargs={"slug": thread.space.slug, "pk": thread.root_id})


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """A member starts a thread; others are sent to the space's page to join first."""
    viewer = current_person(request)
    space = space_or_404(slug)
    if not space.is_member(viewer):
        messages.error(request, "Join the space to start a thread.")
        return redirect(space)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            root = start_thread(viewer, space, **form.cleaned_data)
        except SpaceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("spaces:thread", slug=space.slug, pk=root.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "space": space, "nav": "spaces"}
    return private(render(request, "spaces/start.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The thread's author changes its title, first post and topics; anyone else gets a 404."""
    viewer = current_person(request)
    space = space_or_404(slug)
    thread = thread_or_404(space, pk, viewer)
    root = thread.root
    if root.author_id != viewer.pk or root.hidden_at is not None:
        raise Http404(NOT_FOUND)
    initial = {
        "title": root.title,
        "body": root.body,
        "topics": ", ".join(t.name for t in root.topics.all()),
    }
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edit_thread(root, **form.cleaned_data)
        except SpaceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(thread_url(thread))
    status = 400 if form.errors else 200
    context = {"form": form, "space": space, "thread": thread, "nav": "spaces"}
    return private(render(request, "spaces/start.html", context, status=status))


@require_safe
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A thread with its nested replies; hidden and missing threads give the same 404."""
    viewer = viewer_person(request)
    space = space_or_404(slug)
    thread = thread_or_404(space, pk, viewer)
    return private(render(request, "spaces/thread.html", _context(space, thread, viewer)))


def _context(space: Space, thread: Thread, viewer: Person | None, **extra: Any) -> dict[str, Any]:
    is_member = space.is_member(viewer)
    return {
        "space": space,
        "thread": thread,
        "root": thread.root,
        "viewer": viewer,
        "nav": "spaces",
        "nodes": thread_nodes(thread, viewer),
        "topics": list(thread.root.topics.all()),
        "is_member": is_member,
        "is_moderator": space.is_moderator(viewer),
        "follows": subscriptions.follows_thread(viewer, thread),
        "can_reply": is_member and not thread.locked and thread.root.deleted_at is None,
        "reply_form": extra.pop("reply_form", None)
        or ReplyForm(initial={"parent": thread.root_id}),
        "hide_form": HideForm(),
        **extra,
    }


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Reply to the thread's first post or to a reply in it; errors show on the thread page."""
    viewer = current_person(request)
    space = space_or_404(slug)
    thread = thread_or_404(space, pk, viewer)
    form = ReplyForm(request.POST)
    if form.is_valid():
        parent = reply_parent(thread, form.cleaned_data["parent"], viewer)
        try:
            if parent is None:
                raise SpaceError("That post does not exist or you cannot see it.")
            post = reply_in(viewer, parent, body=form.cleaned_data["body"])
        except SpaceError as exc:
            form.add_error("body", exc.message)
        else:
            return redirect(f"{thread_url(thread)}#post-{post.pk}")
    context = _context(space, thread, viewer, reply_form=form)
    return private(render(request, "spaces/thread.html", context, status=400))


@login_required
@require_POST
def follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Follow a thread (hear of its replies) or stop (`action` = follow | unfollow)."""
    viewer = current_person(request)
    space = space_or_404(slug)
    thread = thread_or_404(space, pk, viewer)
    action = request.POST.get("action", "")
    if action not in ("follow", "unfollow"):
        return bad_action("Choose follow or unfollow.")
    if action == "unfollow":
        subscriptions.unfollow_thread(viewer, thread)
        messages.success(request, "You no longer follow this thread.")
    else:
        subscriptions.follow_thread(viewer, thread)
        messages.success(request, "You follow this thread.")
    return redirect(thread_url(thread))
