"""What a course team removes: a course (or closes it, once learners came), a unit, an activity.

A course nobody ever enrolled in (a draft, or a published course without learners) is deleted
with its discussion space. Once someone enrolled it is **closed** instead: no new enrolments, and
everything stays: its pages, learners' progress and evidence, and the statements it issued (which
stay verifiable, and whose links to the course and the evidence keep working).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.core import events
from connective.courses.models import Activity, Course, Unit
from connective.courses.services.authoring import CourseError, delete_activity
from connective.spaces.services.deletion import delete_space

__all__ = [
    "can_be_deleted",
    "close_course",
    "delete_activity",
    "delete_course",
    "delete_unit",
    "reopen_course",
]


def _require_team(course: Course, by: Person | None) -> None:
    if by is not None and not course.is_team_member(by):
        raise CourseError("Only the course team can do that.")


def can_be_deleted(course: Course) -> bool:
    """Whether the course may be deleted outright: nobody ever enrolled (leaving keeps the row)."""
    return not course.enrolments.exists()


@transaction.atomic
def delete_course(course: Course, by: Person | None) -> None:
    """Delete a course nobody ever enrolled in, with its units, activities and discussion space;
    other apps hear `course.deleted` first (search forgets it)."""
    _require_team(course, by)
    if not can_be_deleted(course):
        raise CourseError("Learners have enrolled in this course: close it instead.")
    events.announce(events.COURSE_DELETED, course=course)
    space = course.space
    if space is not None:
        delete_space(space, by, for_course=True)
    course.delete()


@transaction.atomic
def close_course(course: Course, by: Person | None) -> Course:
    """Close a published course to new learners; it stays readable, its learners may finish."""
    _require_team(course, by)
    if not course.is_published:
        raise CourseError("A draft course is not open; delete it instead.")
    if course.closed_at is None:
        course.closed_at = timezone.now()
        course.save(update_fields=["closed_at"])
        events.announce(events.COURSE_CHANGED, course=course)
    return course


@transaction.atomic
def reopen_course(course: Course, by: Person | None) -> Course:
    """Open a closed course to new learners again."""
    _require_team(course, by)
    if course.closed_at is not None:
        course.closed_at = None
        course.save(update_fields=["closed_at"])
        events.announce(events.COURSE_CHANGED, course=course)
    return course


@transaction.atomic
def delete_unit(unit: Unit) -> None:
    """Remove a unit with its activities, if no learner has evidence for any of them."""
    if Activity.objects.filter(unit=unit, evidence__isnull=False).exists():
        raise CourseError("Learners have evidence for an activity of this unit; it cannot go.")
    course = unit.course
    unit.delete()
    events.announce(events.COURSE_CHANGED, course=course)
