"""A feed item's page, acting on it (useful, reply), and re-sharing it as a resource."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.models import Post
from connective.content.services.posts import PostError
from connective.content.services.useful import UsefulError, mark_useful
from connective.content.views.common import private, safe_next
from connective.core import throttle
from connective.feeds.forms import ReshareForm
from connective.feeds.models import FeedItem
from connective.feeds.services.materialize import post_for_item
from connective.feeds.services.reshare import item_of_post, reshare, reshare_initial

ACTIONS = {"useful", "reply"}
# Acting first on an item and sharing one as a resource each make a post: counted per account,
# so walking through item ids cannot make posts without end (CONNECTIVE_FEED_ITEM_POST_RATE).
RATE = "feed_item_post"
TOO_MANY = "You have made many posts of items from the web in a short while, so nothing was saved."


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
    if item.post_id is None and throttle.throttled(request, RATE):
        return _too_many(request, item)
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


def _too_many(request: HttpRequest, item: FeedItem) -> HttpResponse:
    """429: the account made many posts of items just now; the page says when to come back."""
    seconds = throttle.retry_after(RATE)
    context = {"item": item, "seconds": seconds, "message": TOO_MANY}
    response = render(request, "feeds/too_many.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _reshare(request: HttpRequest, item: FeedItem) -> HttpResponse:
    form = ReshareForm(request.POST or None, initial=reshare_initial(item))
    if item.licence:
        form.fields["licence"].disabled = True
    status = 200
    retry = None
    if request.method == "POST":
        status = 400
        if form.is_valid() and throttle.throttled(request, RATE):
            status, retry = 429, throttle.retry_after(RATE)  # the form keeps what was typed
            form.add_error(None, f"{TOO_MANY} Try again in {retry} seconds.")
        elif form.is_valid():
            mine = _share(current_person(request), item, form)
            if mine is not None:
                messages.success(request, "Your resource is shared.")
                return redirect(mine)
    context = {"form": form, "item": item}
    response = private(render(request, "feeds/reshare.html", context, status=status))
    if retry is not None:
        response["Retry-After"] = str(retry)
    return response


def _share(viewer: Person, item: FeedItem, form: ReshareForm) -> Post | None:
    """The viewer's resource made of the item (None, with the form told why, if refused)."""
    data = form.cleaned_data
    topics = [t.strip() for t in data["topics"].split(",") if t.strip()]
    try:
        return reshare(
            viewer,
            item,
            title=data["title"],
            body=data["body"],
            licence=item.licence or data["licence"],
            topics=topics,
        )
    except PostError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None
