"""Fixtures for courses: a published course taught by Ana with one activity of each kind."""

import pytest

from connective.courses.models import Course
from connective.courses.services.authoring import (
    ActivityDraft,
    CourseDraft,
    create_course,
    publish_course,
    save_activity,
    save_unit,
)


def build_course(author, title="Building your PLN", publish=True) -> Course:
    """A course with two units: discuss, write, share (required) and read (required), watch
    (optional)."""
    course = create_course(
        author, CourseDraft(title=title, summary="Learn *together*.", topics=["PLN"])
    )
    one = save_unit(course, title="Start", order=1)
    two = save_unit(course, title="Go further", order=2)
    save_activity(
        one,
        ActivityDraft(title="Define a PLN", kind="discuss", estimated_minutes=120, order=1),
        author,
    )
    save_activity(
        one,
        ActivityDraft(
            title="Position", kind="write", tag="pln-position", estimated_minutes=180, order=2
        ),
        author,
    )
    save_activity(
        two,
        ActivityDraft(title="Share", kind="share", tag="pln-resource", estimated_minutes=30),
        author,
    )
    save_activity(
        two,
        ActivityDraft(title="Read", kind="read", estimated_minutes=45, order=2),
        author,
    )
    save_activity(
        two,
        ActivityDraft(title="Watch", kind="watch", estimated_minutes=20, order=3, required=False),
        author,
    )
    if publish:
        publish_course(course, author)
    course.refresh_from_db()
    return course


def activity(course: Course, kind: str):
    """The course's (first) activity of a kind."""
    return course.activities.filter(kind=kind).first()


@pytest.fixture
def course(ana) -> Course:
    return build_course(ana)
