"""What a course team does: create and edit a course, its units and activities, add team
members, publish. Every change announces events.COURSE_CHANGED so search keeps up."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from connective.accounts.models import Person
from connective.content.licences import LICENCES
from connective.core import events
from connective.core.html import render_markdown
from connective.core.uris import absolute_uri
from connective.courses.models import Activity, Course, CourseTeam, Unit
from connective.courses.services.discussion import (
    add_to_team_space,
    ensure_space,
    ensure_thread,
    ensure_threads,
)
from connective.topics.normalize import InvalidTopic, topic_key
from connective.topics.services.resolve import get_or_create_topics, validate_labels

MAX_MINUTES = 100 * 60


class CourseError(Exception):
    """A change a course cannot take; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class CourseDraft:
    """A course's own fields as its team writes them."""

    title: str
    summary: str = ""
    topics: list[str] = field(default_factory=list)
    licence: str = "cc-by"


@dataclass
class ActivityDraft:
    """An activity's fields as its team writes them."""

    title: str
    kind: str = Activity.Kind.DISCUSS
    instructions: str = ""
    estimated_minutes: int = 30
    required: bool = True
    tag: str = ""
    order: int = 1


def _changed(course: Course) -> None:
    events.announce(events.COURSE_CHANGED, course=course)


def _check_course(draft: CourseDraft) -> list[str]:
    if not draft.title.strip():
        raise CourseError("A course needs a title.", "title")
    if len(draft.title) > 200:
        raise CourseError("Titles are at most 200 characters.", "title")
    if len(draft.summary) > 20_000:
        raise CourseError("Keep the summary under 20,000 characters.", "summary")
    if draft.licence not in LICENCES:
        raise CourseError("Choose one of the listed licences.", "licence")
    try:
        return validate_labels(draft.topics)
    except InvalidTopic as exc:
        raise CourseError(str(exc), "topics") from exc


def _free_slug(title: str) -> str:
    base = (slugify(title) or "course")[:70]
    slug, n = base, 1
    while Course.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_course(author: Person, draft: CourseDraft) -> Course:
    """A draft course with `author` on its team."""
    labels = _check_course(draft)
    course = Course.objects.create(
        slug=_free_slug(draft.title),
        title=draft.title.strip(),
        summary=draft.summary,
        summary_html=render_markdown(draft.summary),
        licence=draft.licence,
        created_by=author,
    )
    course.uri = absolute_uri(course.get_absolute_url())
    course.save(update_fields=["uri"])
    course.topics.set(get_or_create_topics(labels))
    CourseTeam.objects.create(course=course, person=author, role=CourseTeam.Role.AUTHOR)
    _changed(course)
    return course


@transaction.atomic
def edit_course(course: Course, draft: CourseDraft) -> Course:
    """Change a course's title, summary, topics and licence (its address stays)."""
    labels = _check_course(draft)
    course.title, course.summary, course.licence = draft.title.strip(), draft.summary, draft.licence
    course.summary_html = render_markdown(draft.summary)
    course.save()
    course.topics.set(get_or_create_topics(labels))
    _changed(course)
    return course


@transaction.atomic
def publish_course(course: Course, by: Person) -> Course:
    """Open the course to learners: its discussion space and a thread per discuss activity."""
    if not course.activities.exists():
        raise CourseError("Add at least one activity before publishing.")
    if course.is_published:
        return course
    course.state, course.published_at = Course.State.PUBLISHED, timezone.now()
    course.save(update_fields=["state", "published_at"])
    ensure_space(course, by)
    ensure_threads(course, by)
    _changed(course)
    return course


@transaction.atomic
def add_team_member(
    course: Course,
    person: Person,
    role: str = CourseTeam.Role.FACILITATOR,
    by: Person | None = None,
) -> CourseTeam:
    """Put `person` (a local person) on the course team; they moderate its space."""
    if not person.is_local:
        raise CourseError("Only people on this server can join a course team.", "handle")
    if role not in CourseTeam.Role.values:
        raise CourseError("Choose a role.", "role")
    row, _ = CourseTeam.objects.get_or_create(course=course, person=person, defaults={"role": role})
    add_to_team_space(course, by or person, person)
    return row


def _check_unit(title: str, intro: str, order: int) -> None:
    if not title.strip():
        raise CourseError("A unit needs a title.", "title")
    if len(title) > 200:
        raise CourseError("Titles are at most 200 characters.", "title")
    if len(intro) > 20_000:
        raise CourseError("Keep the introduction under 20,000 characters.", "intro")
    if not 0 < order <= 1000:
        raise CourseError("Give an order between 1 and 1000.", "order")


@transaction.atomic
def save_unit(
    course: Course, *, title: str, intro: str = "", order: int = 1, unit: Unit | None = None
) -> Unit:
    """Add a unit to the course, or change one."""
    _check_unit(title, intro, order)
    unit = unit or Unit(course=course)
    unit.title, unit.intro, unit.order = title.strip(), intro, order
    unit.intro_html = render_markdown(intro)
    unit.save()
    _changed(course)
    return unit


def _tag_key(course: Course, draft: ActivityDraft, activity: Activity | None) -> str:
    """The tag's topic key; write and share need one, unique within the course."""
    tag = draft.tag.strip().lstrip("#")
    if not tag:
        if draft.kind in Activity.TAGGED:
            raise CourseError("Write and share activities need a tag, e.g. pln-position.", "tag")
        return ""
    try:
        key = topic_key(tag)
    except InvalidTopic as exc:
        raise CourseError(str(exc), "tag") from exc
    others = course.activities.filter(tag_key=key)
    if activity is not None:
        others = others.exclude(pk=activity.pk)
    if others.exists():
        raise CourseError("Another activity of this course already uses this tag.", "tag")
    return key


def _check_activity(draft: ActivityDraft) -> None:
    if draft.kind not in Activity.Kind.values:
        raise CourseError("Choose a kind of activity.", "kind")
    if not draft.title.strip():
        raise CourseError("An activity needs a title.", "title")
    if len(draft.title) > 200:
        raise CourseError("Titles are at most 200 characters.", "title")
    if len(draft.instructions) > 20_000:
        raise CourseError("Keep the instructions under 20,000 characters.", "instructions")
    if not 0 < draft.estimated_minutes <= MAX_MINUTES:
        raise CourseError("Estimate between 1 minute and 100 hours.", "estimated_minutes")
    if not 0 < draft.order <= 1000:
        raise CourseError("Give an order between 1 and 1000.", "order")


@transaction.atomic
def save_activity(
    unit: Unit, draft: ActivityDraft, by: Person, activity: Activity | None = None
) -> Activity:
    """Add an activity to a unit, or change one; a discuss activity of a published course
    gets its thread at once."""
    _check_activity(draft)
    course = unit.course
    key = _tag_key(course, draft, activity)
    activity = activity or Activity(course=course, unit=unit)
    activity.title, activity.kind, activity.order = draft.title.strip(), draft.kind, draft.order
    activity.instructions = draft.instructions
    activity.instructions_html = render_markdown(draft.instructions)
    activity.estimated_minutes, activity.required = draft.estimated_minutes, draft.required
    activity.tag, activity.tag_key = draft.tag.strip().lstrip("#") if key else "", key
    activity.save()
    ensure_thread(activity, by)
    _changed(course)
    return activity


@transaction.atomic
def delete_activity(activity: Activity) -> None:
    """Remove an activity that no learner has evidence for yet."""
    if activity.evidence.exists():
        raise CourseError("Learners have evidence for this activity; it cannot be removed.")
    course = activity.course
    activity.delete()
    _changed(course)
