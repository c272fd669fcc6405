"""The course's discussion space and one thread per discuss activity.

The spaces app owns spaces and threads; when its services are present we use them, otherwise we
create the rows the same way (Space, moderator Membership, a thread's first Post through the
content service) so a course can be published either way.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.content.services.posts import PostDraft, create_post
from connective.core.uris import absolute_uri
from connective.courses.models import Activity, Course
from connective.spaces.models import Membership, Space


def _free_slug(base: str) -> str:
    base = (slugify(base) or "course")[:70]
    slug, n = base, 1
    while Space.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def ensure_space(course: Course, author: Person) -> Space:
    """The course's discussion space, created on first need with the team as moderators."""
    if course.space_id is not None:
        return course.space  # type: ignore[return-value]
    space = Space.objects.create(
        slug=_free_slug(f"course-{course.slug}"),
        name=f"Course: {course.title}"[:120],
        description=f"The discussion space of the course “{course.title}”.",
        created_by=author,
        last_activity_at=timezone.now(),
    )
    space.uri = absolute_uri(space.get_absolute_url())
    space.save(update_fields=["uri"])
    space.topics.set(course.topics.all())
    for person_id in course.team_rows.values_list("person_id", flat=True):
        Membership.objects.get_or_create(
            space=space, person_id=person_id, defaults={"role": Membership.Role.MODERATOR}
        )
    course.space = space
    course.save(update_fields=["space"])
    return space


def join_space(course: Course, person: Person) -> None:
    """A learner becomes a member of the course's space so they can post in its threads."""
    if course.space_id is None:
        return
    Membership.objects.get_or_create(space_id=course.space_id, person=person)


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
    if activity.thread_id is not None and activity.thread.deleted_at is None:  # type: ignore[union-attr]
        return activity.thread
    space = ensure_space(course, author)
    Membership.objects.get_or_create(
        space=space, person=author, defaults={"role": Membership.Role.MODERATOR}
    )
    thread = create_post(
        author,
        PostDraft(
            kind=Kind.NOTE, title=activity.title[:200], body=_thread_body(activity), space=space
        ),
    )
    activity.thread = thread
    activity.save(update_fields=["thread"])
    return thread


def ensure_threads(course: Course, author: Person) -> None:
    """A thread for every discuss activity of a published course that has none yet."""
    for activity in course.activities.filter(kind=Activity.Kind.DISCUSS).select_related("course"):
        ensure_thread(activity, author)
