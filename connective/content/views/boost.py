"""Boost a post, or take the boost back: a form that posts and redirects; htmx swaps the toggle."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.models import Post
from connective.content.services.boosts import (
    BoostError,
    boost_post,
    boosters,
    can_boost,
    has_boosted,
    unboost_post,
)
from connective.content.templatetags.card_tags import boost_form_html, esc, page_batch
from connective.content.views.common import bad_action, private, safe_next
from connective.core.htmx import is_htmx

SHOW_BOOSTERS = 24


def boost_context(
    post: Post, viewer: Person | None, error: str = "", back: str = ""
) -> dict[str, Any]:
    """Who boosted the post (whom the viewer may see), whether the viewer did, and whether
    the post may be boosted at all (public and unlisted posts: can_boost)."""
    if not can_boost(post):
        return {"post": post, "boostable": False}
    shown, count = boosters(post, viewer, SHOW_BOOSTERS)
    return {
        "post": post,
        "boostable": True,
        "boosters": shown,
        "boost_count": count,
        "boost_more": max(count - len(shown), 0),
        "boosted": has_boosted(viewer, post),
        "boost_error": error,
        "boost_back": back,
    }


@login_required
@require_POST
def boost(request: HttpRequest, pk: int) -> HttpResponse:
    """Boost a post or take the boost back (`action` = boost | unboost).

    A missing or unknown action is a 400 that changes nothing.
    """
    viewer = current_person(request)
    post = get_object_or_404(Post.objects.visible_to(viewer).select_related("author"), pk=pk)
    action = request.POST.get("action", "")
    if action not in {"boost", "unboost"}:
        return bad_action("Choose boost or unboost.")
    error = ""
    try:
        _toggle(viewer, post, action)
    except BoostError as exc:
        error = str(exc)
    back = safe_next(request, request.POST.get("next"))
    where = request.POST.get("where")
    if is_htmx(request):
        if where == "card":
            return private(HttpResponse(_card_toggle(request, viewer, post, error, back)))
        context = boost_context(post, viewer, error, back)
        return private(render(request, "content/_boost.html", context))
    if error:
        messages.error(request, error)
    if back and where == "card" and "#" not in back:
        back += f"#post-{post.pk}"  # back to the card in the list it was in
    return redirect(back or post)


def _card_toggle(request: HttpRequest, viewer: Person, post: Post, error: str, back: str) -> str:
    """A card's Boost toggle after the change (and what went wrong, if anything)."""
    batch = page_batch({"request": request})
    form = boost_form_html(post, batch, has_boosted(viewer, post), "card", back)
    if error:  # inside the form, so the next swap replaces the message too
        message = f'<span class="field__error" role="alert">{esc(error)}</span>'
        return form.removesuffix("</form>") + message + "</form>"
    return form


def _toggle(viewer: Person, post: Post, action: str) -> None:
    if action == "boost":
        boost_post(viewer, post)
    else:
        unboost_post(viewer, post)
