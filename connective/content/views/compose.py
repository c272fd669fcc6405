"""Writing: the composer, replies and edits."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.forms import (
    ArticleForm,
    PostForm,
    ReplyForm,
    ResourceForm,
    form_class_for,
)
from connective.content.models import Kind, Post, State
from connective.content.services.posts import (
    LIMITS,
    PostDraft,
    PostError,
    create_post,
    edit_post,
)
from connective.content.views.common import private, safe_next
from connective.core.htmx import is_htmx

COMPOSER_ID = "compose-%s"
SHARED: dict[str, str] = {
    Kind.NOTE: "Your note is posted.",
    Kind.ARTICLE: "Your article is published.",
    Kind.RESOURCE: "Your resource is shared.",
}


# What a link may fill in for the writer (e.g. a course's "write your article" link), with caps.
PREFILL = {"title": LIMITS["title"], "body": 5000, "topics": 500, "link_url": LIMITS["url"]}


def prefill(query: QueryDict) -> dict[str, str]:
    """Starting values for the composer from the query string; over-long values are ignored."""
    values = {name: str(query.get(name, "")) for name in PREFILL}
    return {name: value for name, value in values.items() if value and len(value) <= PREFILL[name]}


def composer_context(
    kind: str | None,
    form: PostForm | None = None,
    *,
    tab_param: str = "kind",
    next_url: str = "",
    initial: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the composer needs: the tabs, the form for the chosen kind, where to go after."""
    form_class = form_class_for(kind)
    form = form or form_class(auto_id=COMPOSER_ID, initial=initial or {})
    tabs = [
        {
            "kind": value,
            "label": label,
            "href": f"?{tab_param}={value}",
            "hx": "?" + urlencode({"kind": value, "embed": tab_param, "next": next_url}),
            "current": value == form.kind,
        }
        for value, label in Kind.choices
    ]
    return {"form": form, "kind": form.kind, "tabs": tabs, "next_url": next_url}


def _store(form: PostForm, save) -> Post | None:
    """Run the service on a valid form; a refusal lands on the form's field."""
    if not form.is_valid():
        return None
    try:
        return save(form.to_draft())
    except PostError as exc:
        form.apply_error(exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """The composer as a page; it also receives what the stream's composer posts."""
    viewer = current_person(request)
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = form_class_for(kind)(request.POST, request.FILES, auto_id=COMPOSER_ID)
        post = _store(form, lambda draft: create_post(viewer, draft))
        next_url = safe_next(request, request.POST.get("next"))
        if post is not None:
            announce_saved(request, post)
            return redirect(next_url if next_url and post.state == State.PUBLISHED else post)
        context = composer_context(kind, form, next_url=next_url)
        return render(request, "content/compose.html", context, status=400)
    embed = request.GET.get("embed")
    tab_param = "compose" if embed == "compose" else "kind"
    next_url = safe_next(request, request.GET.get("next"))
    context = composer_context(
        request.GET.get("kind"),
        tab_param=tab_param,
        next_url=next_url,
        initial=prefill(request.GET),
    )
    if is_htmx(request) and embed:
        return render(request, "content/_composer_panel.html", context)
    return render(request, "content/compose.html", context)


def announce_saved(request: HttpRequest, post: Post, message: str = "") -> None:
    """Tell the writer their post is stored, once: a draft or scheduled article lands on its
    own page, whose banner already says so (saved when, only you can see it), so no flash."""
    if post.state == State.PUBLISHED:
        messages.success(request, message or SHARED.get(post.kind, "Posted."))


def own_posts(viewer: Person):
    """The viewer's own posts they may still change: published, draft or scheduled."""
    return Post.objects.filter(author=viewer, deleted_at__isnull=True, hidden_at__isnull=True)


def _visible(viewer: Person, pk: int) -> Post:
    """A post the viewer may see, or the one shared 404."""
    return get_object_or_404(Post.objects.visible_to(viewer).select_related("author"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a post the viewer can see; a hidden post looks exactly like a missing one."""
    viewer = current_person(request)
    parent = _visible(viewer, pk)
    auto_id = f"reply-{parent.pk}-%s"
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        form = ReplyForm(request.POST, parent=parent, auto_id=auto_id)
        post = _store(form, lambda draft: _reply_or_404(viewer, draft))
        if post is not None:
            messages.success(request, "Your reply is posted.")
            return redirect(f"{next_url or parent.get_absolute_url()}#post-{post.pk}")
        context = _reply_context(parent, form, next_url)
        return private(render(request, "content/reply.html", context, status=400))
    context = _reply_context(parent, ReplyForm(parent=parent, auto_id=auto_id), next_url)
    if is_htmx(request):
        return private(render(request, "content/_reply_form.html", context))
    return private(render(request, "content/reply.html", context))


def _reply_or_404(viewer: Person, draft: PostDraft) -> Post:
    """Post the reply; a parent the service will not let us answer (a block) is a 404."""
    try:
        return create_post(viewer, draft)
    except PostError as exc:
        if exc.field == "in_reply_to":
            raise Http404("No such post.") from None
        raise


def _reply_context(parent: Post, form: ReplyForm, next_url: str) -> dict[str, Any]:
    return {"parent": parent, "form": form, "post": parent, "next_url": next_url}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one of your own posts; anyone else's is a 404."""
    viewer = current_person(request)
    post = get_object_or_404(own_posts(viewer).select_related("in_reply_to"), pk=pk)
    if post.space_id and not post.in_reply_to_id and post.space is not None:  # a thread's opening
        return redirect("spaces:edit_thread", slug=post.space.slug, pk=post.pk)
    form_class = ReplyForm if post.in_reply_to_id else form_class_for(post.kind)
    kwargs: dict[str, Any] = {"auto_id": "edit-%s", "initial": form_class.initial_from(post)}
    if form_class is ReplyForm:
        kwargs["parent"] = post.in_reply_to
    if form_class is ResourceForm:
        kwargs["has_file"] = bool(post.file)
    if form_class is ArticleForm:
        kwargs["published"] = post.state == State.PUBLISHED
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        was_published = post.state == State.PUBLISHED
        saved = _store(form, lambda draft: edit_post(post, draft))
        if saved is not None:
            announce_saved(request, saved, "Your changes are saved." if was_published else "")
            return redirect(saved)
        return private(
            render(request, "content/edit.html", {"post": post, "form": form}, status=400)
        )
    form = form_class(**kwargs)
    return private(render(request, "content/edit.html", {"post": post, "form": form}))
