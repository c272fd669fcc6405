"""Evidence: recognised from posts as they are published, edited and deleted; from outside
pages harvested by the feeds app; and marks of done for read, watch and reflect activities.

The rules (docs/courses.md):
- discuss: a post by the learner in the activity's thread (the thread's first post or any reply);
- write: an article by the learner carrying the activity's tag;
- share: a resource by the learner carrying the activity's tag;
- read, watch, reflect: the learner marks it done (optionally with a private reflection).
A post counts only while anyone with its link may see it (public or unlisted, published, not
hidden), because a statement of participation links to it. Evidence a post no longer supports
(deleted, made private, tag removed) is withdrawn — unless the enrolment is already complete: then
the statement has been issued on it and the record stands.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.courses.models import Activity, Enrolment, Evidence
from connective.courses.services.completion import check_completion
from connective.topics.normalize import InvalidTopic, topic_key

MAX_TITLE = 300
MAX_REFLECTION = 10_000


class EvidenceError(Exception):
    """Evidence that cannot be recorded (wrong kind of activity, not enrolled, too long)."""


def counts_as_evidence(post: Post) -> bool:
    """Whether anyone with the link may see `post`, so a public statement can point to it."""
    return Post.objects.visible_to(None).filter(pk=post.pk).exists()


def matching_activities(post: Post) -> list[Activity]:
    """The activities of published courses whose evidence rule `post` meets (visibility aside)."""
    activities = Activity.objects.filter(course__state="published").select_related("course")
    if post.kind in (Kind.ARTICLE, Kind.RESOURCE):
        kind = Activity.Kind.WRITE if post.kind == Kind.ARTICLE else Activity.Kind.SHARE
        keys = list(post.topics.values_list("key", flat=True))
        found = list(activities.filter(kind=kind, tag_key__in=keys)) if keys else []
    else:
        found = []
    root_id = post.thread_root_id or post.pk
    found += list(activities.filter(kind=Activity.Kind.DISCUSS, thread_id=root_id))
    return found


def _enrolment(learner_id: int, course_id: int) -> Enrolment | None:
    return Enrolment.objects.active().filter(learner_id=learner_id, course_id=course_id).first()


def _record_post(enrolment: Enrolment, activity: Activity, post: Post) -> Evidence:
    evidence, _ = Evidence.objects.get_or_create(
        enrolment=enrolment,
        activity=activity,
        post=post,
        defaults={
            "title": (post.title or post.excerpt(120) or "A post")[:MAX_TITLE],
            "posted_at": post.created_at,
            "recorded_at": timezone.now(),
        },
    )
    return evidence


def recognise(post: Post) -> list[Evidence]:
    """Record `post` as evidence for every activity it meets, for its author's enrolments."""
    # Most posts are by people taking no course (feed sources never do): one indexed lookup
    # spares them the rest.
    if not Enrolment.objects.active().filter(learner_id=post.author_id).exists():
        return []
    if not counts_as_evidence(post):
        return []
    recorded = []
    for activity in matching_activities(post):
        enrolment = _enrolment(post.author_id, activity.course_id)
        if enrolment is None:
            continue
        recorded.append(_record_post(enrolment, activity, post))
        check_completion(enrolment)
    return recorded


def withdraw(post: Post, keep: set[int] | None = None) -> int:
    """Remove evidence from `post` (except for activity ids in `keep`) on incomplete
    enrolments; returns how many were removed."""
    rows = Evidence.objects.filter(post=post, enrolment__completed_at__isnull=True)
    if keep:
        rows = rows.exclude(activity_id__in=keep)
    deleted, _ = rows.delete()
    return deleted


@transaction.atomic
def on_post_published(post: Post, **_: object) -> None:
    """events.POST_PUBLISHED: a new post may be evidence."""
    recognise(post)


@transaction.atomic
def on_post_edited(post: Post, **_: object) -> None:
    """events.POST_EDITED: an edit may add the tag (now counts) or remove it (withdrawn)."""
    if not counts_as_evidence(post):
        withdraw(post)
        return
    matched = recognise(post)
    withdraw(post, keep={evidence.activity_id for evidence in matched})


@transaction.atomic
def on_post_deleted(post: Post, **_: object) -> None:
    """events.POST_DELETED: a deleted post is no evidence (unless a statement stands on it)."""
    withdraw(post)


def _keys(tags: list[str]) -> set[str]:
    keys = set()
    for tag in tags:
        try:
            keys.add(topic_key(tag))
        except InvalidTopic:
            continue
    return keys


@transaction.atomic
def record_outside_evidence(
    learner: Person, *, tags: list[str], url: str, title: str, published_at: datetime
) -> list[Evidence]:
    """Record a page published elsewhere (e.g. the learner's own blog, harvested from its feed)
    as evidence for the write and share activities whose tag it carries; idempotent per URL."""
    keys = _keys(tags)
    if not keys or not url:
        return []
    activities = Activity.objects.filter(
        course__state="published",
        kind__in=list(Activity.TAGGED),
        tag_key__in=keys,
        course__enrolments__learner=learner,
        course__enrolments__unenrolled_at__isnull=True,
    ).distinct()
    recorded = []
    for activity in activities:
        enrolment = _enrolment(learner.pk, activity.course_id)
        if enrolment is None:
            continue
        evidence, _ = Evidence.objects.get_or_create(
            enrolment=enrolment,
            activity=activity,
            post=None,
            url=url[:2000],
            defaults={
                "title": (title or url)[:MAX_TITLE],
                "posted_at": published_at,
                "recorded_at": timezone.now(),
            },
        )
        recorded.append(evidence)
        check_completion(enrolment)
    return recorded


@transaction.atomic
def mark_done(enrolment: Enrolment, activity: Activity, reflection: str = "") -> Evidence:
    """A learner marks a read, watch or reflect activity done, with an optional private
    reflection; marking again updates the reflection."""
    if not enrolment.is_active:
        raise EvidenceError("Enrol in the course first.")
    if activity.course_id != enrolment.course_id or not activity.is_self_marked:
        raise EvidenceError("This activity is completed by a post, not by marking it done.")
    if len(reflection) > MAX_REFLECTION:
        raise EvidenceError(f"Keep your reflection under {MAX_REFLECTION:,} characters.")
    evidence, created = Evidence.objects.get_or_create(
        enrolment=enrolment,
        activity=activity,
        post=None,
        url="",
        defaults={"title": activity.title[:MAX_TITLE], "recorded_at": timezone.now()},
    )
    if not created or reflection:
        evidence.reflection = reflection
        evidence.save(update_fields=["reflection"])
    check_completion(enrolment)
    return evidence


@transaction.atomic
def unmark_done(enrolment: Enrolment, activity: Activity) -> bool:
    """Take back a mark of done (not once the course is complete)."""
    if enrolment.completed_at is not None:
        raise EvidenceError("The course is complete; its record stands.")
    deleted, _ = Evidence.objects.filter(
        enrolment=enrolment, activity=activity, post=None, url=""
    ).delete()
    return bool(deleted)


def scan_existing(enrolment: Enrolment) -> list[Evidence]:
    """On enrolment: the learner's earlier posts that already meet the course's rules count."""
    activities = list(enrolment.course.activities.exclude(kind__in=list(Activity.SELF_MARKED)))
    threads = [a.thread_id for a in activities if a.thread_id]
    keys = [a.tag_key for a in activities if a.tag_key]
    posts = Post.objects.visible_to(None).filter(author_id=enrolment.learner_id)
    candidates = posts.filter(thread_root_id__in=threads) | posts.filter(
        topics__key__in=keys, kind__in=[Kind.ARTICLE, Kind.RESOURCE]
    )
    recorded = []
    for post in candidates.distinct():
        recorded += recognise(post)
    return recorded
