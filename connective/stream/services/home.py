"""Build the home stream on read (see docs/performance.md for why not fan-out on write)."""

from django.db.models import Exists, OuterRef, Q

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.pagination import Page, paginate
from connective.network.models import Connection, Mute
from connective.topics.models import Topic


def home_queryset(viewer: Person, kind: str = "", topic: Topic | None = None):
    """Top-level posts by me, the people I connected to, and on topics I follow, that I may see."""
    following = Connection.objects.filter(owner_id=viewer.pk, status=Connection.Status.ACTIVE)
    followed_topics = Person.followed_topics.through.objects.filter(person_id=viewer.pk)
    on_followed_topic = Exists(
        Post.topics.through.objects.filter(
            post_id=OuterRef("pk"), topic_id__in=followed_topics.values("topic_id")
        )
    )
    qs = (
        Post.objects.visible_to(viewer)
        .top_level()
        .filter(
            Q(author_id=viewer.pk)
            | Q(author_id__in=following.values("target_id"))
            | on_followed_topic
        )
        .exclude(author_id__in=Mute.objects.filter(owner_id=viewer.pk).values("target_id"))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if topic is not None:
        qs = qs.filter(
            Exists(Post.topics.through.objects.filter(post_id=OuterRef("pk"), topic_id=topic.pk))
        )
    return qs


def home_page(
    viewer: Person, cursor: str | None, kind: str = "", topic: Topic | None = None
) -> Page:
    """One page of the home stream, with what the cards need loaded up front."""
    qs = home_queryset(viewer, kind, topic).select_related("author").prefetch_related("topics")
    return paginate(qs, cursor)
