"""How far a learner has got, and where learners stall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from connective.content.models import Kind, Post, Visibility
from connective.courses.models import Activity, Course, Enrolment, Evidence, minutes_text


@dataclass
class Progress:
    """One learner's progress through a course."""

    activities: list[Activity]
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)

    @property
    def required(self) -> list[Activity]:
        return [a for a in self.activities if a.required]

    def done(self, activity: Activity) -> bool:
        """Whether the activity has evidence."""
        return bool(self.evidence.get(activity.pk))

    @property
    def required_done(self) -> int:
        return sum(1 for a in self.required if self.done(a))

    @property
    def percent(self) -> int:
        """Share of required activities done, 0–100."""
        required = self.required
        return round(100 * self.required_done / len(required)) if required else 0

    @property
    def minutes_left(self) -> int:
        """Estimated minutes of the required activities not done yet."""
        return sum(a.estimated_minutes for a in self.required if not self.done(a))

    @property
    def optional_minutes_left(self) -> int:
        return sum(
            a.estimated_minutes for a in self.activities if not a.required and not self.done(a)
        )

    @property
    def optional_time_left_text(self) -> str:
        return minutes_text(self.optional_minutes_left)

    @property
    def time_left_text(self) -> str:
        return minutes_text(self.minutes_left) if self.minutes_left else "nothing left"

    @property
    def next_activity(self) -> Activity | None:
        """The first required activity not done, else the first optional one."""
        for activity in self.required:
            if not self.done(activity):
                return activity
        return next((a for a in self.activities if not self.done(a)), None)

    @property
    def last_evidence(self) -> Evidence | None:
        rows = [row for rows in self.evidence.values() for row in rows]
        return max(rows, key=lambda r: r.recorded_at, default=None)


def course_activities(course: Course) -> list[Activity]:
    """The course's activities in their order."""
    return list(
        course.activities.select_related("unit", "thread").order_by(
            "unit__order", "unit_id", "order", "id"
        )
    )


def progress_of(enrolment: Enrolment, activities: list[Activity] | None = None) -> Progress:
    """The progress of one enrolment."""
    progress = Progress(
        activities if activities is not None else course_activities(enrolment.course)
    )
    rows = Evidence.objects.filter(enrolment=enrolment).select_related("post")
    for row in rows:
        progress.evidence.setdefault(row.activity_id, []).append(row)
    return progress


def _reason(post: Post) -> str:
    """Why a post that meets an activity's rule is not evidence."""
    if post.state != "published":
        return "it is not published yet"
    if post.hidden_at is not None:
        return "a moderator hid it"
    if post.visibility == Visibility.NETWORK:
        return "only your network can see it"
    if post.visibility == Visibility.PRIVATE:
        return "only you and the people you mention can see it"
    return "not everyone can see it"


def why_not_counted(enrolment: Enrolment, activity: Activity) -> list[tuple[Post, str]]:
    """The learner's posts that meet an activity's rule but do not count, each with the reason:
    evidence must be visible to anyone with its link, since a public statement links to it."""
    if activity.is_self_marked:
        return []
    mine = Post.objects.filter(author_id=enrolment.learner_id, deleted_at__isnull=True).exclude(
        pk__in=Post.objects.visible_to(None).values("pk")
    )
    if activity.kind == Activity.Kind.DISCUSS:
        if activity.thread_id is None:
            return []
        mine = mine.filter(thread_root_id=activity.thread_id)
    else:
        kind = Kind.ARTICLE if activity.kind == Activity.Kind.WRITE else Kind.RESOURCE
        mine = mine.filter(kind=kind, topics__key=activity.tag_key)
    return [(post, _reason(post)) for post in mine.order_by("-created_at")[:3]]


@dataclass
class LearnerRow:
    """A line of the team view: a learner and how far they got."""

    enrolment: Enrolment
    progress: Progress


def team_overview(course: Course) -> tuple[list[LearnerRow], list[tuple[Activity, int]]]:
    """Every enrolment with its progress, and the activities where learners stall: how many
    active, incomplete learners have each activity as their next one (most first)."""
    activities = course_activities(course)
    enrolments = list(
        course.enrolments.select_related("learner").order_by("unenrolled_at", "-enrolled_at")
    )
    by_enrolment: dict[int, dict[int, list[Evidence]]] = {}
    for row in Evidence.objects.filter(enrolment__course=course).select_related("post"):
        by_enrolment.setdefault(row.enrolment_id, {}).setdefault(row.activity_id, []).append(row)
    rows, stalls = [], Counter[int]()
    for enrolment in enrolments:
        progress = Progress(activities, by_enrolment.get(enrolment.pk, {}))
        rows.append(LearnerRow(enrolment, progress))
        nxt = progress.next_activity
        if enrolment.is_active and enrolment.completed_at is None and nxt is not None:
            stalls[nxt.pk] += 1
    place = {a.pk: i for i, a in enumerate(activities)}
    ranked = sorted(stalls.items(), key=lambda item: (-item[1], place[item[0]]))
    return rows, [(activities[place[pk]], n) for pk, n in ranked]
