"""Explained recommendations for my interests: people, resources, spaces and courses.

- People: the expert finder run for each of my interests, minus people I already connect to.
- Resources: resources on my interests shared by people in my network or two hops out, that
  I may see, that are not unlisted, and that I have not seen. "Seen" is kept simple: I wrote
  it, I marked it useful, I said "not interested", or it was in my stream's recent past —
  posted in the last SEEN_DAYS days by someone in my network or on a topic I follow.
- Spaces on my interests that I have not joined (only open ones count my network's members);
  courses on my interests that I am not enrolled in and may still join.
"Not interested" stores a Dismissal; a dismissed item is never recommended to me again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db.models import Case, Count, DateTimeField, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.content.models import Kind, Post, Useful
from connective.discovery.models import Dismissal
from connective.discovery.services.experts import Expert, Scope, find_experts
from connective.network.models import Block, Mute
from connective.topics.models import Topic

SEEN_DAYS = 14
MAX_INTERESTS = 5  # interests the people suggestions look at
MAX_AUTHORS = 10_000  # people whose resources are considered (SQLite's parameter limit is 32,766)
LIMITS = {"people": 6, "resources": 8, "spaces": 5, "courses": 5}


@dataclass
class Recommendation:
    """Something recommended: the object, its kind (a Dismissal kind) and why in words."""

    kind: str
    item: Any
    reason: SafeString


def dismissed(viewer: Person, kind: str) -> set[int]:
    """Ids of things of `kind` the viewer said they are not interested in."""
    rows = Dismissal.objects.filter(person_id=viewer.pk, kind=kind)
    return set(rows.values_list("object_id", flat=True))


def interests_of(viewer: Person) -> list[Topic]:
    """The topics the viewer is learning, by name."""
    return list(viewer.interests.order_by("name"))


def people_for(
    viewer: Person,
    interests: list[Topic] | None = None,
    limit: int = LIMITS["people"],
    scope: Scope | None = None,
) -> list[Expert]:
    """People to connect with for my interests, best evidence first, each once, explained."""
    topics = (interests if interests is not None else interests_of(viewer))[:MAX_INTERESTS]
    scope = scope or Scope.of(viewer)
    exclude = scope.mine | dismissed(viewer, Dismissal.Kind.PERSON)
    best: dict[int, Expert] = {}
    for topic in topics:
        for expert in find_experts(viewer, [topic], limit=limit, exclude=exclude, scope=scope):
            current = best.get(expert.person.pk)
            if current is None or expert.score > current.score:
                best[expert.person.pk] = expert
    ranked = sorted(best.values(), key=lambda e: (-e.score, e.distance, e.person.handle.casefold()))
    return ranked[:limit]


def resources_for(
    viewer: Person,
    interests: list[Topic] | None = None,
    limit: int = LIMITS["resources"],
    scope: Scope | None = None,
) -> list[Recommendation]:
    """Resources from my network (or two hops out) on my interests that I have not seen."""
    topics = interests if interests is not None else interests_of(viewer)
    scope = scope or Scope.of(viewer)
    # Network first; a very large second ring is cut so the id list stays a reasonable parameter.
    authors = scope.network | set(sorted(scope.second)[: max(0, MAX_AUTHORS - len(scope.network))])
    if not topics or not authors:
        return []
    posts = (
        Post.objects.visible_to(viewer)
        .listed()  # unlisted: "not in listings", and a recommendation is one
        .filter(kind=Kind.RESOURCE, author_id__in=authors, topics__in=topics)
        .exclude(pk__in=_seen(viewer, scope))
        .exclude(author_id__in=Mute.objects.filter(owner_id=viewer.pk).values("target_id"))
        .exclude(author_id__in=Block.objects.filter(owner_id=viewer.pk).values("target_id"))
        .annotate(
            network_useful=Count(
                "useful_marks", filter=Q(useful_marks__person_id__in=scope.network), distinct=True
            )
        )
        .order_by("-network_useful", "-useful_count", "-created_at", "-id")
        .select_related("author")
        .prefetch_related("topics")
        .distinct()
    )
    return [
        Recommendation(Dismissal.Kind.POST, p, _resource_reason(p, scope)) for p in posts[:limit]
    ]


def _seen(viewer: Person, scope: Scope):
    """Posts the viewer has seen, by the simple rule in the module docstring (a subquery)."""
    recent = timezone.now() - timedelta(days=SEEN_DAYS)
    in_stream = Q(created_at__gte=recent) & (
        Q(author_id__in=scope.network) | Q(topics__in=viewer.followed_topics.all())
    )
    marked = Useful.objects.filter(person_id=viewer.pk).values("post_id")
    dismissed_posts = Dismissal.objects.filter(person_id=viewer.pk, kind=Dismissal.Kind.POST)
    return Post.objects.filter(
        Q(author_id=viewer.pk)
        | Q(pk__in=marked)
        | Q(pk__in=dismissed_posts.values("object_id"))
        | in_stream
    ).values("pk")


def _resource_reason(post: Post, scope: Scope) -> SafeString:
    where = "in your network" if post.author_id in scope.network else "two hops out"
    reason = format_html("Shared by <bdi>{}</bdi>, {}", post.author.name, where)
    n = getattr(post, "network_useful", 0)
    if n:
        people = "person" if n == 1 else "people"
        reason = format_html("{}; {} {} in your network marked it useful", reason, n, people)
    return reason


def spaces_for(
    viewer: Person,
    interests: list[Topic] | None = None,
    limit: int = LIMITS["spaces"],
    scope: Scope | None = None,
) -> list[Recommendation]:
    """Spaces on my interests I have not joined, liveliest first, with network members counted.

    Only open spaces count my network's members: who belongs to a members-only space is for its
    moderators, so it is neither said nor used to rank; and as on the space list, a members-only
    space ranks by when it was made, not by its (hidden) last activity.
    """
    topics = interests if interests is not None else interests_of(viewer)
    if not topics:
        return []
    scope = scope or Scope.of(viewer)
    space = apps.get_model("spaces", "Space")
    in_network = Q(memberships__person_id__in=scope.network, members_only=False)
    spaces = (
        space.objects.filter(topics__in=topics)
        .exclude(memberships__person_id=viewer.pk)
        .exclude(pk__in=dismissed(viewer, Dismissal.Kind.SPACE))
        .annotate(
            friends=Count("memberships", filter=in_network, distinct=True),
            shown_activity=Case(
                When(members_only=True, then="created_at"),
                default=Coalesce("last_activity_at", "created_at"),
                output_field=DateTimeField(),
            ),
        )
        .prefetch_related("topics")
        .distinct()
        .order_by("-friends", "-shown_activity", "name")
    )
    return [
        Recommendation(Dismissal.Kind.SPACE, s, _topical_reason(s, topics, s.friends, "members"))
        for s in spaces[:limit]
    ]


def courses_for(
    viewer: Person, interests: list[Topic] | None = None, limit: int = LIMITS["courses"]
) -> list[Recommendation]:
    """Published courses on my interests that I am not enrolled in and may join (none if courses
    are absent). A closed course takes no new learners, only those who were enrolled before and
    left (the rule of courses' enrol()), so only they are shown it."""
    topics = interests if interests is not None else interests_of(viewer)
    try:
        course = apps.get_model("courses", "Course")
        enrolment = apps.get_model("courses", "Enrolment")
    except LookupError:
        return []
    if not topics:
        return []
    ever = enrolment.objects.filter(learner_id=viewer.pk)
    mine = ever.filter(unenrolled_at__isnull=True)
    joinable = Q(closed_at__isnull=True) | Q(pk__in=ever.values("course_id"))
    courses = (
        course.objects.published()
        .filter(joinable, topics__in=topics)
        .exclude(pk__in=mine.values("course_id"))
        .exclude(pk__in=dismissed(viewer, Dismissal.Kind.COURSE))
        .prefetch_related("topics")
        .distinct()
        .order_by("-published_at", "title")
    )
    return [
        Recommendation(Dismissal.Kind.COURSE, c, _topical_reason(c, topics, 0, ""))
        for c in courses[:limit]
    ]


def _topical_reason(item: Any, interests: list[Topic], friends: int, what: str) -> SafeString:
    """ "On open licensing, which you are learning; 2 people in your network are members"."""
    wanted = {t.pk for t in interests}
    names = [t.name for t in item.topics.all() if t.pk in wanted]
    reason = format_html("On {}, which you are learning", " and ".join(names[:3]))
    if friends:
        verb = "is a" if friends == 1 else "are"
        noun = what[:-1] if friends == 1 else what
        people = "person" if friends == 1 else "people"
        reason = format_html("{}; {} {} in your network {} {}", reason, friends, people, verb, noun)
    return reason
