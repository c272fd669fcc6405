"""Topic pages: the index of lively topics, and one topic with its people, posts and resources."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.accounts.viewer import viewer_person
from connective.content.models import Kind, Post, State, Visibility
from connective.core.htmx import is_htmx
from connective.core.pagination import BadCursor, paginate
from connective.discovery.services.evidence_reads import opted_out
from connective.discovery.services.experts import find_experts
from connective.network.models import Block, Connection, Mute
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key

MAX_QUERY_LENGTH = 100
INDEX_LIMIT = 60
ACTIVITY_DAYS = 90
PEOPLE_LIMIT = 12
# tab (GET `tab`) → (label, kind shown; None = every kind)
TOPIC_TABS: dict[str, tuple[str, str | None]] = {
    "posts": ("Posts", None),
    "resources": ("Resources", Kind.RESOURCE),
}


@dataclass
class Listed:
    """A person in a topic's people list, with why they are there ('' if nothing to say)."""

    person: Person
    why: str | SafeString


def index(request: HttpRequest) -> HttpResponse:
    """Topics with the most going on, the viewer's followed ones first; search by name."""
    viewer = viewer_person(request)
    query = request.GET.get("q", "")
    context: dict[str, Any] = {"q": query.strip(), "nav": "topics", "error": ""}
    if len(query) > MAX_QUERY_LENGTH:
        context.update(
            q=query[:MAX_QUERY_LENGTH],
            topics=[],
            error=f"Search with at most {MAX_QUERY_LENGTH} characters.",
        )
        return render(request, "web/topics.html", context, status=400)
    context["topics"] = active_topics(viewer, query.strip())
    return render(request, "web/topics.html", context)


def active_topics(viewer: Person | None, query: str = "", limit: int = INDEX_LIMIT) -> list[Topic]:
    """Up to `limit` topics by recent public posts plus learners and helpers."""
    since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
    # The visibility rule for anyone (Post.objects.visible_to(None)), listed posts only, as
    # conditions on each link's post: a subquery of every visible post would be read per topic.
    post_links = Post.topics.through.objects.filter(
        Q(post__space__isnull=True) | Q(post__space__members_only=False),
        topic_id=OuterRef("pk"),
        post__visibility=Visibility.PUBLIC,
        post__state=State.PUBLISHED,
        post__deleted_at__isnull=True,
        post__hidden_at__isnull=True,
        post__author__suspended_at__isnull=True,
        post__created_at__gte=since,
    )
    # People anyone may be shown on a topic's page (discoverable_people(None)): the counts
    # never exceed the lists they lead to.
    findable = (
        Q(person__suspended_at__isnull=True, person__domain="", person__discoverable=True)
        & ~Q(person__actor_type="Feed")
        & ~Q(person_id__in=opted_out())
    )
    learner_links = Person.interests.through.objects.filter(findable, topic_id=OuterRef("pk"))
    helper_links = Person.expertise.through.objects.filter(findable, topic_id=OuterRef("pk"))
    qs = Topic.objects.annotate(
        recent_posts=_count(post_links, "topic_id"),
        learning=_count(learner_links, "topic_id"),
        helping=_count(helper_links, "topic_id"),
        followed=_followed_by(viewer),
    ).annotate(activity=F("recent_posts") + F("learning") + F("helping"))
    if query:
        qs = qs.filter(_matches(query))
    return list(qs.order_by("-followed", "-activity", "name")[:limit])


def _count(rows: QuerySet, group: str) -> Coalesce:
    """A correlated COUNT of `rows` per outer row (0 when there are none)."""
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _followed_by(viewer: Person | None) -> Exists | Value:
    """Whether the viewer follows the outer topic (always False for anonymous)."""
    if viewer is None:
        return Value(False)
    return Exists(
        Person.followed_topics.through.objects.filter(person_id=viewer.pk, topic_id=OuterRef("pk"))
    )


def _matches(query: str) -> Q:
    """Topics whose name contains the query, or whose key contains its normalised form."""
    condition = Q(name__icontains=query)
    try:
        condition |= Q(key__icontains=topic_key(query))
    except InvalidTopic:
        pass
    return condition


def detail(request: HttpRequest, key: str) -> HttpResponse:
    """One topic: follow it, who is learning it, who can help and why, posts and resources."""
    try:
        topic = _find_topic(key)
    except Http404:
        return _missing(request, key)
    if topic.key != key:
        query = request.GET.urlencode()
        url = topic.get_absolute_url()
        return redirect(f"{url}?{query}" if query else url, permanent=True)
    viewer = viewer_person(request)
    tab = request.GET.get("tab", "posts")
    tab = tab if tab in TOPIC_TABS else "posts"
    try:
        page = paginate(topic_posts(topic, viewer, TOPIC_TABS[tab][1]), request.GET.get("cursor"))
    except BadCursor:
        return HttpResponseBadRequest("That page link is not valid.", content_type="text/plain")
    context = {"topic": topic, "page": page, "tab": tab}
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "web/_topic_posts.html", context)
    context.update(
        nav="topics",
        tabs=[(name, label) for name, (label, _kind) in TOPIC_TABS.items()],
        tab_label=TOPIC_TABS[tab][0],
        following=bool(viewer and viewer.followed_topics.filter(pk=topic.pk).exists()),
        learners=learners(topic, viewer),
        helpers=helpers(topic, viewer),
    )
    return render(request, "web/topic.html", context)


def _missing(request: HttpRequest, key: str) -> HttpResponse:
    """No such topic: say so, with topics whose names hold one of its words, and where to look."""
    words = " ".join(key.replace("-", " ").replace("_", " ").split())[:100]
    match = Q()
    for word in [w for w in words.split() if len(w) >= 3][:5]:
        match |= Q(name__icontains=word)
    similar = list(Topic.objects.filter(match).order_by("name")[:5]) if match else []
    context = {"words": words, "similar": similar, "nav": "topics"}
    return render(request, "web/topic_missing.html", context, status=404)


def _find_topic(key: str) -> Topic:
    """The topic however its key is written in the URL; 404 if there is none."""
    try:
        canonical = topic_key(key)
    except InvalidTopic as exc:
        raise Http404 from exc
    topic = Topic.objects.filter(key=canonical).first()
    if topic is None:
        raise Http404
    return topic


def topic_posts(topic: Topic, viewer: Person | None, kind: str | None) -> QuerySet[Post]:
    """Listed top-level posts on the topic that the viewer may see, minus people they shut out."""
    # Direct (private) posts stay off topic pages even for their recipients: they are messages,
    # not contributions to a topic (Mastodon's hashtag timelines leave them out too).
    qs = (
        Post.objects.visible_to(viewer)
        .listed()
        .top_level()
        .exclude(visibility=Visibility.PRIVATE)
        .filter(topics=topic)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if viewer is not None:
        qs = qs.exclude(
            author_id__in=Mute.objects.filter(owner_id=viewer.pk).values("target_id")
        ).exclude(author_id__in=Block.objects.filter(owner_id=viewer.pk).values("target_id"))
    return qs.select_related("author").prefetch_related("topics")


def discoverable_people(viewer: Person | None) -> QuerySet[Person]:
    """Active people the viewer may be shown in a topic's lists: local people who chose "Let
    others find me", plus the viewer's own network (discovery is opt-in beyond it); never
    people who turned off "Suggest me to others", feed sources, or blocks either way."""
    findable = Q(domain="", discoverable=True)
    if viewer is not None:
        active = Connection.objects.active().order_by()
        findable |= Q(pk__in=active.filter(owner_id=viewer.pk).values("target_id")) | Q(
            pk__in=active.filter(target_id=viewer.pk).values("owner_id")
        )
    qs = Person.objects.active().filter(findable).exclude(actor_type="Feed")
    qs = qs.exclude(pk__in=opted_out())
    if viewer is not None:
        qs = qs.exclude(
            pk__in=Block.objects.filter(owner_id=viewer.pk).values("target_id")
        ).exclude(pk__in=Block.objects.filter(target_id=viewer.pk).values("owner_id"))
    return qs


def _public_posts_by(topic: Topic) -> QuerySet[Post]:
    """The outer person's posts on the topic that anyone may see and that are listed: never
    drafts, hidden posts, or posts in members-only spaces."""
    return Post.objects.visible_to(None).listed().filter(author_id=OuterRef("pk"), topics=topic)


def learners(topic: Topic, viewer: Person | None) -> list[Listed]:
    """Up to PEOPLE_LIMIT people learning the topic, those who post on it first."""
    people = (
        discoverable_people(viewer)
        .filter(interests=topic)
        .annotate(posts_on_topic=_count(_public_posts_by(topic), "author_id"))
        .order_by("-posts_on_topic", "handle")
        .prefetch_related("interests")[:PEOPLE_LIMIT]
    )
    return [Listed(p, _posts_phrase(p.posts_on_topic)) for p in people]


def _posts_phrase(n: int) -> str:
    """ "3 posts on this topic", or '' for none."""
    return f"{n} post{'s' if n != 1 else ''} on this topic" if n else ""


def helpers(topic: Topic, viewer: Person | None) -> list[Listed]:
    """Up to PEOPLE_LIMIT people who can help, ranked by evidence as the expert finder ranks
    them, each with the same sentence saying why they are listed."""
    experts = find_experts(viewer, [topic], limit=PEOPLE_LIMIT)
    return [Listed(e.person, e.reason) for e in experts]
