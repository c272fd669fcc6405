"""A feed item's page, acting on it (useful, reply), and re-sharing it as a resource."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.viewer import current_person
from connective.content.services.posts import PostError
from connective.content.services.useful import UsefulError, mark_useful
from connective.content.views.common import private, safe_next
from connective.feeds.forms import ReshareForm
from connective.feeds.models import FeedItem
from connective.feeds.services.materialize import post_for_item
from connective.feeds.services.reshare import item_of_post, reshare, reshare_initial

ACTIONS = {"useful", "reply"}


@require_safe
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An item on its own page; once someone acted on it, its post's page (replies and all)."""
    item = get_object_or_404(FeedItem.objects.select_related("feed"), pk=pk)
    if item.post_id:
        return redirect("content:post", pk=item.post_id)
    return render(request, "feeds/item.html", {"item": item})


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the item useful, or open it to reply: either makes it a post (materialize.py)."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponse(
            "Choose Useful or Reply.", status=400, content_type="text/plain; charset=utf-8"
        )
    viewer = current_person(request)
    item = get_object_or_404(FeedItem.objects.select_related("feed"), pk=pk)
    post = post_for_item(item)
    if action == "reply":
        return redirect(f"{post.get_absolute_url()}#discussion-heading")
    try:
        mark_useful(viewer, post)
    except UsefulError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Marked “{post.title}” useful.")
    back = safe_next(request, request.POST.get("next"))
    # Back at the card, which is now the post's (its footer counts the mark).
    return redirect(f"{back}#post-{post.pk}" if back else post.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def item_reshare(request: HttpRequest, pk: int) -> HttpResponse:
    """A form to share the item as a resource (original link kept; its licence if it has one)."""
    item = get_object_or_404(FeedItem.objects.select_related("feed"), pk=pk)
    return _reshare(request, item)


@login_required
@require_http_methods(["GET", "POST"])
def reshare_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The same form, reached from the post made of an item."""
    item = item_of_post(current_person(request), pk)
    if item is None:
        raise Http404
    return _reshare(request, item)


def _reshare(request: HttpRequest, item: FeedItem) -> HttpResponse:
    viewer = current_person(request)
    form = ReshareForm(request.POST or None, initial=reshare_initial(item))
    if item.licence:
        form.fields["licence"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        topics = [t.strip() for t in data["topics"].split(",") if t.strip()]
        try:
            mine = reshare(
                viewer,
                item,
                title=data["title"],
                body=data["body"],
                licence=item.licence or data["licence"],
                topics=topics,
            )
        except PostError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Your resource is shared.")
            return redirect(mine)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "item": item}
    return private(render(request, "feeds/reshare.html", context, status=status))
