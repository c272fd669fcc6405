"""Deleting a space, after a page that says what will happen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from connective.accounts.viewer import current_person
from connective.content.models import Post
from connective.content.views.common import private
from connective.spaces.errors import SpaceError
from connective.spaces.services.deletion import can_delete, course_title, delete_space
from connective.spaces.views.common import space_or_404


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner (or a site admin) deletes the space with its threads, having confirmed."""
    viewer = current_person(request)
    space = space_or_404(slug)
    if not can_delete(space, viewer):
        raise PermissionDenied("Only the space's owner or a site admin can delete it.")
    course = course_title(space)
    if request.method == "POST" and not course:
        try:
            delete_space(space, viewer)
        except SpaceError as exc:
            messages.error(request, exc.message)
            return redirect(space)
        messages.success(request, format_html("The space “<bdi>{}</bdi>” is deleted.", space.name))
        return redirect("spaces:index")
    context = {
        "space": space,
        "course": course,
        "nav": "spaces",
        "threads": space.threads.count(),
        "posts": Post.objects.filter(space=space, deleted_at__isnull=True).count(),
        # the people told: every member but the one deleting it
        "members": space.memberships.exclude(person=current_person(request)).count(),
    }
    return private(render(request, "spaces/delete.html", context, status=409 if course else 200))
