"""The course's discussion space and one thread per discuss activity, through the spaces
app's services: the course team moderates the space, learners join it on enrolment."""

from __future__ import annotations

from django.db import transaction

from connective.accounts.models import Person
from connective.content.models import Post
from connective.courses.models import Activity, Course
from connective.spaces.models import Membership, Space
from connective.spaces.services import membership, spaces, threads


def _make_moderator(space: Space, by: Person, person: Person) -> None:
    """`person` (on the course team) moderates the course's space."""
    membership.join(space, person)
    if by.pk != person.pk and space.is_member(by):
        spaces.add_moderator(space, by, person)
    else:
        Membership.objects.filter(space=space, person=person).update(role=Membership.Role.MODERATOR)


def ensure_space(course: Course, author: Person) -> Space:
    """The course's discussion space, created on first need with the team as moderators."""
    if course.space is not None:
        return course.space
    space = spaces.create_space(
        author,
        name=f"Course: {course.title}"[:120],
        description=f"The discussion space of the course “{course.title}”.",
        topics=[topic.name for topic in course.topics.all()],
    )
    for row in course.team_rows.select_related("person"):
        _make_moderator(space, author, row.person)
    course.space = space
    course.save(update_fields=["space"])
    return space


def add_to_team_space(course: Course, by: Person, person: Person) -> None:
    """A new team member moderates the course's space (if it exists yet)."""
    if course.space is not None:
        _make_moderator(course.space, by, person)


def join_space(course: Course, person: Person) -> None:
    """A learner becomes a member of the course's space so they can post in its threads."""
    if course.space is not None:
        membership.join(course.space, person)


def _thread_body(activity: Activity) -> str:
    """The thread's first post: what the activity asks, and that a reply here is evidence."""
    intro = (
        f"*This thread is for the activity “{activity.title}” of the course "
        f"“{activity.course.title}”. Reply here: your post is your evidence.*\n\n"
    )
    return intro + activity.instructions.strip()[: 4800 - len(intro)]


@transaction.atomic
def ensure_thread(activity: Activity, author: Person) -> Post | None:
    """The thread of a discuss activity of a published course, started once."""
    course = activity.course
    if activity.kind != Activity.Kind.DISCUSS or not course.is_published:
        return None
    if activity.thread is not None and activity.thread.deleted_at is None:
        return activity.thread
    space = ensure_space(course, author)
    if not space.is_member(author):
        _make_moderator(space, author, author)
    thread = threads.start_thread(
        author, space, title=activity.title[:200], body=_thread_body(activity)
    )
    activity.thread = thread
    activity.save(update_fields=["thread"])
    return thread


def ensure_threads(course: Course, author: Person) -> None:
    """A thread for every discuss activity of a published course that has none yet."""
    for activity in course.activities.filter(kind=Activity.Kind.DISCUSS).select_related("course"):
        ensure_thread(activity, author)
