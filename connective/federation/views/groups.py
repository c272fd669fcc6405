"""Spaces and courses as Group actors, and the instance actor, by content negotiation.

`/spaces/<slug>/` and `/courses/<slug>/` answer ActivityPub clients with the Group document and
hand browsers on to the spaces' and courses' own pages (these routes come before theirs, as
`/posts/<pk>/` does before content's). A draft course, a missing space or a course's discussion
space (the course's Group speaks for it) answers an ActivityPub client 404; a deleted space or
course (or a space being deleted) 410 with a Tombstone; a members-only space shows what its page
shows everyone, and an empty outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from connective.content.models import Post
from connective.core.uris import absolute_uri
from connective.courses.models import Course
from connective.courses.views.learning import course as course_page
from connective.federation.context import AS_CONTEXT
from connective.federation.documents import collections
from connective.federation.documents.group import group_to_ap, group_tombstone, instance_to_ap
from connective.federation.services import group_delivery, groups
from connective.federation.views.actors import ap_response, refuse_unsigned, wants_activitypub
from connective.spaces.models import Space
from connective.spaces.views.spaces import detail as space_page

OUTBOX_ITEMS = 20


class Gone(Exception):
    """A deleted space's or course's address: 410 with a Tombstone."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri


def _space(slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is not None and groups.has_actor(space):
        return space
    uri = absolute_uri(reverse("spaces:space", kwargs={"slug": slug}))
    being_deleted = Space.all_objects.filter(slug=slug).exclude(deleted_at=None)
    if space is None and (groups.retired_actor(uri) or being_deleted.exists()):
        raise Gone(uri)
    raise Http404


def _course(slug: str) -> Course:
    course = Course.objects.filter(slug=slug).first()
    if groups.course_federates(course):
        assert course is not None
        return course
    uri = absolute_uri(reverse("courses:course", kwargs={"slug": slug}))
    if course is None and groups.retired_actor(uri):
        raise Gone(uri)
    raise Http404


def _answer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn Gone into the 410 Tombstone ActivityPub clients expect of a deleted actor."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Gone as gone:
            return ap_response(group_tombstone(gone.uri), status=410)

    return wrapped


def _document(group: Space | Course) -> HttpResponse:
    return ap_response(group_to_ap(group, groups.actor_of(group)))


def _negotiated(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Accept"])  # the same URL is the Group for AP clients
    return response


@require_safe
@_answer
def space_document(request: HttpRequest, slug: str) -> HttpResponse:
    """/spaces/<slug>/: the Group for ActivityPub clients, the space's page for browsers."""
    if wants_activitypub(request):
        return _document(_space(slug))
    return _negotiated(space_page(request, slug))


@require_safe
@_answer
def course_document(request: HttpRequest, slug: str) -> HttpResponse:
    """/courses/<slug>/: the Group for ActivityPub clients, the course's page for browsers."""
    if wants_activitypub(request):
        return _document(_course(slug))
    return _negotiated(course_page(request, slug))


def _threads(group: Space | Course) -> list[Post]:
    """What the group announced lately: its open threads (a course: its discussion space's),
    newest first."""
    space = group.space if isinstance(group, Course) else group
    if space is None or groups.announcer_of(space) != group:  # members-only: never leave
        return []
    qs = Post.objects.visible_to(None).filter(space=space, in_reply_to__isnull=True)
    return list(qs.select_related("author").order_by("-created_at", "-id")[:OUTBOX_ITEMS])


def _outbox(group: Space | Course) -> dict[str, Any]:
    actor = groups.actor_of(group)
    items = [
        group_delivery.announce_document(actor, post)
        for post in _threads(group)
        if post.author.is_local
    ]
    return {
        "@context": AS_CONTEXT,
        "id": f"{actor.uri.rstrip('/')}/outbox",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }


def _followers(group: Space | Course) -> dict[str, Any]:
    actor = groups.actor_of(group)
    return collections.ordered_collection(
        f"{actor.uri.rstrip('/')}/followers", groups.follower_count(actor)
    )


@require_safe
@_answer
def space_outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest threads of an open space, as the Group's Announces."""
    return refuse_unsigned(request) or ap_response(_outbox(_space(slug)))


@require_safe
@_answer
def space_followers(request: HttpRequest, slug: str) -> HttpResponse:
    """How many remote people follow the space (the list stays private)."""
    return refuse_unsigned(request) or ap_response(_followers(_space(slug)))


@require_safe
@_answer
def course_outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest announcements of a published course, as the Group's Announces."""
    return refuse_unsigned(request) or ap_response(_outbox(_course(slug)))


@require_safe
@_answer
def course_followers(request: HttpRequest, slug: str) -> HttpResponse:
    """How many remote people follow the course (the list stays private)."""
    return refuse_unsigned(request) or ap_response(_followers(_course(slug)))


@require_safe
def instance_actor(request: HttpRequest) -> HttpResponse:
    """/actor: the instance's Application actor (always readable: it carries the key)."""
    return ap_response(instance_to_ap(groups.instance_actor()))


@require_safe
def instance_outbox(request: HttpRequest) -> HttpResponse:
    """The instance actor posts nothing."""
    uri = groups.instance_actor().uri
    return ap_response(collections.ordered_collection(f"{uri}/outbox", 0))
