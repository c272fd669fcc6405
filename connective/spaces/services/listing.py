"""What the space list and a space page show, counted through the visibility rule (T-28).

A members-only space shows a non-member its name, description and topics, never how many
threads it holds, their last activity or an excerpt, and it sorts by when it was created.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from connective.accounts.models import Person
from connective.content.models import Post
from connective.spaces.models import Membership, Space, Thread


def spaces_for(
    viewer: Person | None, *, mine: bool = False, topic_key: str = ""
) -> QuerySet[Space]:
    """Spaces by last activity the viewer may know of, with `thread_count` and `joined`."""
    member = Membership.objects.filter(space=OuterRef("pk"), person_id=viewer.pk if viewer else 0)
    visible_roots = (
        Post.objects.visible_to(viewer)
        .filter(space=OuterRef("pk"), in_reply_to__isnull=True)
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Space.objects.annotate(
        joined=Exists(member),
        thread_count=Coalesce(Subquery(visible_roots, output_field=IntegerField()), Value(0)),
    ).annotate(
        shown_activity=Case(
            When(Q(members_only=True, joined=False), then="created_at"),
            default=Coalesce("last_activity_at", "created_at"),
            output_field=DateTimeField(),
        )
    )
    if mine:
        qs = qs.filter(joined=True)
    if topic_key:
        qs = qs.filter(topics__key=topic_key)
    return qs.order_by("-shown_activity", "-id").prefetch_related("topics")


def latest_posts(spaces: list[Space], viewer: Person | None) -> dict[int, Post]:
    """The newest post the viewer may see in each space (for the list's excerpt)."""
    ids = [space.pk for space in spaces]
    newest = (
        Post.objects.visible_to(viewer)
        .filter(space_id=OuterRef("space_id"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    posts = (
        Post.objects.visible_to(viewer)
        .filter(space_id__in=ids, pk=Subquery(newest))
        .select_related("author")
    )
    return {post.space_id: post for post in posts if post.space_id is not None}


def threads_for(space: Space, viewer: Person | None) -> QuerySet[Thread]:
    """The threads of `space` whose first post the viewer may see, pinned first, then by last
    activity, each with `reply_total` (replies the viewer may see)."""
    visible = Post.objects.visible_to(viewer)
    replies = (
        visible.filter(thread_root=OuterRef("root_id"))
        .order_by()
        .values("thread_root")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Thread.objects.filter(space=space, root__in=visible.filter(space=space).values("pk"))
        .annotate(reply_total=Coalesce(Subquery(replies, output_field=IntegerField()), Value(0)))
        .select_related("root", "root__author")
        .order_by(F("pinned_at").desc(nulls_last=True), "-last_activity_at", "-id")
    )
