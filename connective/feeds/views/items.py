"""Re-share a feed item as my own resource."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from connective.accounts.viewer import current_person
from connective.content.services.posts import PostError
from connective.content.views.common import private
from connective.feeds.forms import ReshareForm
from connective.feeds.services.reshare import feed_item_post, reshare, reshare_initial


@login_required
@require_http_methods(["GET", "POST"])
def reshare_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A form to share the item as a resource (original link kept; its licence if it has one)."""
    viewer = current_person(request)
    post = feed_item_post(viewer, pk)
    if post is None:
        raise Http404
    form = ReshareForm(request.POST or None, initial=reshare_initial(post))
    if post.licence:
        form.fields["licence"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        topics = [t.strip() for t in data["topics"].split(",") if t.strip()]
        try:
            mine = reshare(
                viewer,
                post,
                title=data["title"],
                body=data["body"],
                licence=post.licence or data["licence"],
                topics=topics,
            )
        except PostError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Your resource is shared.")
            return redirect(mine)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "item": post}
    return private(render(request, "feeds/reshare.html", context, status=status))
