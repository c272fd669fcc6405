"""Our posts as ActivityStreams documents, by content negotiation on the post's own URL.

`post_response(request, post)` answers an ActivityPub request for a post (None for a browser);
`post_document` is the negotiating view for /posts/<pk>/ that falls back to the HTML page.
Unsigned requests see what anonymous people see; a signed GET sees what its signer may see.
A post the requester may not see answers exactly like a post that does not exist.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.content.views.post import NOT_FOUND, detail
from connective.federation.context import ap_context
from connective.federation.services.groups import with_audience
from connective.federation.services.outgoing import post_object
from connective.federation.signatures import SignatureError
from connective.federation.views.actors import (
    ap_response,
    refuse_unsigned,
    signed_by,
    wants_activitypub,
)

log = logging.getLogger("connective.federation")


def _viewer(request: HttpRequest) -> Person | None:
    """The remote actor that signed the request, or None (anonymous) if it is not signed."""
    if "signature" not in request.headers and "signature-input" not in request.headers:
        return None
    try:
        return signed_by(request)
    except SignatureError as exc:  # a bad signature reads as anonymous
        log.info("unverified signed GET of a post: %s", exc.reason)
        return None


def post_response(request: HttpRequest, post: Post) -> HttpResponse | None:
    """The post's AP document (Tombstone 410 once deleted), or None if HTML was asked for."""
    if not wants_activitypub(request):
        return None
    refused = refuse_unsigned(request)
    if refused is not None:
        return refused
    if not post.author.is_local:
        raise Http404(NOT_FOUND)  # we speak only for our own posts
    if post.deleted_at is not None:
        if post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
            tomb = {"@context": ap_context(), "id": post.uri, "type": "Tombstone"}
            return ap_response(tomb, status=410)
        raise Http404(NOT_FOUND)
    if not Post.objects.visible_to(_viewer(request)).filter(pk=post.pk).exists():
        raise Http404(NOT_FOUND)
    doc = {"@context": ap_context(), **with_audience(post_object(post), post)}
    response = ap_response(doc)
    if post.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
        response["Cache-Control"] = "private"
    return response


@require_safe
def post_document(request: HttpRequest, pk: int) -> HttpResponse:
    """/posts/<pk>/: the AP document for ActivityPub clients, the page for browsers."""
    if wants_activitypub(request):
        post = Post.objects.select_related("author").filter(pk=pk).first()
        if post is None:
            raise Http404(NOT_FOUND)
        response = post_response(request, post)
        if response is not None:
            return response
    return detail(request, pk)
