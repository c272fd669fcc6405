"""Reading a post and its discussion; deleting, marking useful, downloading its file."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from connective.accounts.models import Person
from connective.accounts.viewer import current_person, viewer_person
from connective.content.forms import ReplyForm
from connective.content.models import Post, State, Useful, Visibility
from connective.content.services.posts import delete_post, download_name, publish_post
from connective.content.services.thread import replies_below
from connective.content.services.useful import UsefulError, mark_useful, unmark_useful
from connective.content.views.boost import boost_context
from connective.content.views.common import bad_action, private, safe_next
from connective.content.views.compose import own_posts
from connective.core.htmx import is_htmx

SHOW_MARKERS = 24
USEFUL_ACTIONS = {"mark": mark_useful, "unmark": unmark_useful}
NOT_FOUND = "No such post."


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A post in full with its discussion; hidden and missing give the same 404."""
    viewer = viewer_person(request)
    post = Post.objects.visible_to(viewer).select_related("author").filter(pk=pk).first()
    if post is None and viewer is not None:  # the author's own draft, as a preview
        post = Post.objects.drafts_of(viewer).select_related("author").filter(pk=pk).first()
    if post is None:
        return _gone_or_missing(request, pk, viewer)
    if post.space_id and post.space is not None:  # space posts are read in their thread
        thread = reverse(
            "spaces:thread", kwargs={"slug": post.space.slug, "pk": post.thread_root_id or post.pk}
        )
        return redirect(f"{thread}#post-{post.pk}")
    visible = Post.objects.visible_to(viewer).select_related("author")
    parent = visible.filter(pk=post.in_reply_to_id).first() if post.in_reply_to_id else None
    root_id = post.thread_root_id if post.thread_root_id != post.in_reply_to_id else None
    context: dict[str, Any] = {
        "post": post,
        "parent": parent,
        "root": visible.filter(pk=root_id).first() if root_id else None,
        "replies": replies_below(post, viewer),
        "topics": list(post.topics.all()),
        "is_author": viewer is not None and viewer.pk == post.author_id,
        "reply_form": ReplyForm(parent=post, auto_id="reply-%s") if viewer else None,
        **useful_context(post, viewer),
        **boost_context(post, viewer),
    }
    return private(render(request, "content/post.html", context))


def _gone_or_missing(request: HttpRequest, pk: int, viewer: Person | None) -> HttpResponse:
    """410 for a deleted post that was open to all (or one's own); otherwise the shared 404.

    A deleted post of limited visibility gets the 404: nothing says it ever existed.
    """
    tomb = Post.objects.filter(pk=pk, deleted_at__isnull=False).first()
    open_to_all = {Visibility.PUBLIC, Visibility.UNLISTED}
    if tomb and (tomb.visibility in open_to_all or (viewer and viewer.pk == tomb.author_id)):
        return render(request, "content/gone.html", status=410)
    raise Http404(NOT_FOUND)


def useful_context(post: Post, viewer: Person | None, error: str = "") -> dict[str, Any]:
    """Who found the post useful, whether the viewer did, and whether they may say so.

    The viewer's own mark reads "You" ("You and 2 others found this useful: …"), so the names
    listed and the count of others leave them out.
    """
    marked = viewer is not None and Useful.objects.filter(post=post, person=viewer).exists()
    marks = (
        Useful.objects.filter(post=post, person__suspended_at__isnull=True)
        .select_related("person")
        .order_by("created_at", "id")
    )
    if marked:
        marks = marks.exclude(person=viewer)
    markers = [mark.person for mark in marks[:SHOW_MARKERS]]
    others = max(post.useful_count - 1, 0) if marked else post.useful_count
    return {
        "post": post,
        "useful_markers": markers,
        "useful_others": others,
        "useful_more": max(others - len(markers), 0),
        "useful_marked": marked,
        "can_mark": viewer is not None and viewer.pk != post.author_id,
        "useful_error": error,
    }


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of your own posts, after asking; anyone else's is a 404."""
    viewer = current_person(request)
    post = get_object_or_404(own_posts(viewer), pk=pk)
    if request.method == "POST":
        delete_post(post)
        messages.success(request, "Your post was deleted.")
        return redirect("stream:home" if post.state == State.PUBLISHED else "content:drafts")
    return private(render(request, "content/delete.html", {"post": post}))


@login_required
@require_POST
def useful(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a post useful, or take the mark back (`action` = mark | unmark).

    Any other action, or none, is a 400 that changes nothing: a guess could take a mark away.
    """
    viewer = current_person(request)
    post = get_object_or_404(Post.objects.visible_to(viewer).select_related("author"), pk=pk)
    action = request.POST.get("action", "")
    if action not in USEFUL_ACTIONS:
        return bad_action("Choose mark or unmark.")
    error = ""
    try:
        USEFUL_ACTIONS[action](viewer, post)
    except UsefulError as exc:
        error = str(exc)
    post.refresh_from_db(fields=["useful_count"])
    if is_htmx(request):
        return private(render(request, "content/_useful.html", useful_context(post, viewer, error)))
    if error:
        messages.error(request, error)
    return redirect(safe_next(request, request.POST.get("next")) or post)


@require_safe
def download(request: HttpRequest, pk: int) -> FileResponse:
    """A resource's file, to whoever may see the resource; always an attachment (T-23, T-05)."""
    viewer = viewer_person(request)
    post = get_object_or_404(Post.objects.visible_to(viewer).exclude(file=""), pk=pk)
    try:
        handle = post.file.open("rb")
    except OSError:
        raise Http404(NOT_FOUND) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(post.file_name or post.file.name or "file"),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    private(response)
    return response


@login_required
@require_safe
def drafts(request: HttpRequest) -> HttpResponse:
    """My drafts and scheduled articles, soonest scheduled first."""
    viewer = current_person(request)
    posts = Post.objects.drafts_of(viewer).order_by("state", "publish_at", "-updated_at")
    return private(render(request, "content/drafts.html", {"posts": posts, "nav": "profile"}))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish one of my drafts or scheduled articles now."""
    viewer = current_person(request)
    post = get_object_or_404(Post.objects.drafts_of(viewer), pk=pk)
    post = publish_post(post)
    messages.success(request, "Your article is published.")
    return redirect(post)
