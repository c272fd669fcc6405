"""Enrol in a course and leave it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.courses.models import Course, Enrolment
from connective.courses.services.discussion import join_space
from connective.courses.services.evidence import scan_existing
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify


class EnrolmentError(Exception):
    """An enrolment that cannot happen (a draft course, a course you teach)."""


@transaction.atomic
def enrol(course: Course, learner: Person) -> Enrolment:
    """Enrol `learner` with one click (again after leaving: the earlier evidence is still there,
    even once the course is closed to new learners); they join the course's discussion space,
    and earlier posts that meet a rule count."""
    if not course.is_published:
        raise EnrolmentError("This course is not open yet.")
    if course.is_closed and not Enrolment.objects.filter(course=course, learner=learner).exists():
        raise EnrolmentError("This course is closed to new learners.")
    enrolment, created = Enrolment.objects.get_or_create(
        course=course, learner=learner, defaults={"enrolled_at": timezone.now()}
    )
    if not created and enrolment.unenrolled_at is None:
        return enrolment
    if not created:
        enrolment.unenrolled_at = None
        enrolment.save(update_fields=["unenrolled_at"])
    join_space(course, learner)
    scan_existing(enrolment)
    if created:
        _tell_team(course, learner)
    return enrolment


def _tell_team(course: Course, learner: Person) -> None:
    """The course team hears of a new learner (once per learner)."""
    for row in course.team_rows.select_related("person"):
        notify(
            row.person,
            learner,
            Notification.Kind.COURSE_ENROLLED,
            url=course.get_absolute_url() + "team/",
            data={"course": course.title},
            object_key=f"enrolment:{course.pk}:{learner.pk}",
        )


@transaction.atomic
def unenrol(enrolment: Enrolment) -> Enrolment:
    """Leave a course. The learner's posts stay where they are, and the evidence stays on
    record, so enrolling again picks up where they left off; a statement already issued stands."""
    if enrolment.unenrolled_at is None:
        enrolment.unenrolled_at = timezone.now()
        enrolment.save(update_fields=["unenrolled_at"])
    return enrolment


def enrolment_of(course: Course, person: Person | None) -> Enrolment | None:
    """`person`'s enrolment in `course` (active or left), or None."""
    if person is None:
        return None
    return Enrolment.objects.filter(course=course, learner=person).first()
