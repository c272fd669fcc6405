"""Spaces and courses as ActivityPub Group actors (FEP-1b12), and the instance actor.

Each federated space or course is spoken for by a local Person row with no User
(`actor_type` "Group"; the instance actor is "Application"), made on first need: its `uri` is
the space's or course's own URL, so the key, the delivery queue and the Accept/Reject of a
Follow work exactly as for people. Its handle is internal (`space.<pk>`, `course.<pk>`,
`instance.actor`): the name other servers see is the document's `preferredUsername`.

Followers are connections to that row (a remote Follow is a connection owned by the follower,
as for a person); what groups send is in group_delivery.py. A members-only space never
federates its content: its Group shows only what its page shows everyone (name, description),
and a Follow of it is refused (the Reject is signed by its key, which other servers can fetch
from there).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.uris import absolute_uri, is_local_uri, site_host
from connective.courses.models import Course
from connective.federation.services import audience
from connective.spaces.models import Space

log = logging.getLogger("connective.federation")

COURSE_PREFIX = "course."  # a course's name: `course.<slug>` (a dot is never in a handle)
GROUP = "Group"
APPLICATION = "Application"
INSTANCE_HANDLE = "instance.actor"
INSTANCE_PATH = "/actor"


def _actor_row(uri: str, handle: str, kind: str, name: str) -> Person:
    """The local actor row for `uri`, created on first need (a race creates it once). The row
    of a deleted group whose address a new space or course now has comes back to life (its
    followers were dropped when it was deleted)."""
    person = Person.objects.filter(uri=uri).first()
    if person is not None:
        if person.suspended_at is not None:
            Person.objects.filter(pk=person.pk).update(suspended_at=None, deleted_at=None)
            person.suspended_at = person.deleted_at = None
        if person.display_name != name[:100]:
            Person.objects.filter(pk=person.pk).update(display_name=name[:100])
            person.display_name = name[:100]
        return person
    try:
        with transaction.atomic():
            # Not discoverable: the row never shows among people (search, suggestions).
            return Person.objects.create(
                uri=uri,
                handle=handle,
                domain="",
                actor_type=kind,
                display_name=name[:100],
                discoverable=False,
            )
    except IntegrityError:
        return Person.objects.get(uri=uri)


def existing_actor(uri: str) -> Person | None:
    """The live actor row at `uri` if it was ever made (rows are made when first served or
    followed); a deleted group's row is not one."""
    return Person.objects.local().active().filter(uri=uri).first()


def retired_actor(uri: str) -> Person | None:
    """The row of a deleted space's or course's actor at `uri` (kept for its Tombstone)."""
    return Person.objects.local().filter(uri=uri, actor_type=GROUP).exclude(deleted_at=None).first()


def retire(actor: Person) -> None:
    """Mark a deleted group's actor row deleted: its address answers 410 with a Tombstone, it
    sends nothing more but its own Delete, and its followers are dropped (so a new space that
    one day has the same address starts with none)."""
    from connective.network.models import Connection

    Connection.objects.filter(target=actor).delete()
    now = timezone.now()
    Person.objects.filter(pk=actor.pk).update(suspended_at=now, deleted_at=now)


def space_uri(space: Space) -> str:
    """A space's actor id: its canonical URI (its page's address)."""
    return space.uri or absolute_uri(space.get_absolute_url())


def course_uri(course: Course) -> str:
    """A course's actor id: its canonical URI (its page's address)."""
    return course.uri or absolute_uri(course.get_absolute_url())


def is_course_space(space: Space) -> bool:
    """Whether a space is a course's discussion space: it is no Group of its own, the course's
    Group speaks for it (one Group, one set of Announces, one `audience`)."""
    return space.courses.exists()  # type: ignore[attr-defined]


def space_federates(space: Space | None) -> bool:
    """Whether a space's content federates: only an open one's (members-only never leaves)."""
    return space is not None and not space.members_only


def course_of(space: Space) -> Course | None:
    """The published course a space is the discussion of, if any."""
    return Course.objects.published().filter(space_id=space.pk).order_by("pk").first()


def course_federates(course: Course | None) -> bool:
    """Only published courses have an actor."""
    return course is not None and course.state == Course.State.PUBLISHED


def space_actor(space: Space) -> Person:
    """The Group actor row of a space (made on first need)."""
    return _actor_row(space_uri(space), f"space.{space.pk}", GROUP, space.name)


def course_actor(course: Course) -> Person:
    """The Group actor row of a course (made on first need)."""
    return _actor_row(course_uri(course), f"course.{course.pk}", GROUP, course.title)


_instance_pair: list[tuple[str, str]] = []


def instance_actor() -> Person:
    """The instance's own Application actor, with its key: it signs our fetches.

    A process that has to make the row (once per database) reuses the pair it generated
    before, so a test suite rolling its database back does not pay for a new RSA key each time.
    """
    from connective.federation.keys import generate_key_pair

    actor = _actor_row(absolute_uri(INSTANCE_PATH), INSTANCE_HANDLE, APPLICATION, site_host())
    if not actor.private_key_pem:
        if not _instance_pair:
            _instance_pair.append(generate_key_pair())
        private_pem, public_pem = _instance_pair[0]
        Person.objects.filter(pk=actor.pk, private_key_pem="").update(
            private_key_pem=private_pem, public_key_pem=public_pem
        )
        actor.refresh_from_db(fields=["private_key_pem", "public_key_pem"])
    return actor


def fediverse_name(group: Space | Course | None) -> str:
    """The `@name@host` a space or course is found by, "" if none. For a space this is the
    spaces page's own rule (spaces.views.spaces.fediverse_handle: open, not a course's space,
    not a person's handle), so WebFinger and the page never disagree; a published course is
    always `course.<slug>` (a dot is never in a handle)."""
    from connective.spaces.views.spaces import fediverse_handle

    if isinstance(group, Course):
        return f"@{COURSE_PREFIX}{group.slug}@{site_host()}" if course_federates(group) else ""
    return fediverse_handle(group) if isinstance(group, Space) else ""


def group_named(name: str) -> Space | Course | None:
    """The space (`slug`) or published course (`course.<slug>`) a WebFinger name names."""
    name = name.lower()
    group: Space | Course | None
    if name.startswith(COURSE_PREFIX):
        group = Course.objects.filter(slug=name.removeprefix(COURSE_PREFIX)).first()
    else:
        group = Space.objects.filter(slug=name).first()
    return group if fediverse_name(group) else None


def name_holder(name: str) -> str:
    """Whose a would-be handle is, if a space or course has it (accounts asks this at sign-up
    through validators.register_name_check): any space's slug, deleted-but-not-gone and
    members-only ones included, so a name never changes hands under a Group's followers."""
    name = name.strip().lower()
    if name.startswith(COURSE_PREFIX):
        if Course.objects.filter(slug=name.removeprefix(COURSE_PREFIX)).exists():
            return "A course here is called that."
        return ""
    if Space.all_objects.filter(slug__iexact=name).exists():
        return "A space here is called that: people elsewhere find it by that name."
    try:
        former = absolute_uri(reverse("spaces:space", kwargs={"slug": name}))
    except NoReverseMatch:  # no slug looks like that
        return ""
    if retired_actor(former):
        return "A space here was called that, and people elsewhere may still know it so."
    return ""


def actor_if_any(group: Space | Course | None) -> Person | None:
    """The actor of a space or a published course (None for a draft or nothing)."""
    return actor_of(group) if group is not None and has_actor(group) else None


def is_instance_uri(uri: str) -> bool:
    """Whether `uri` is the instance actor's id."""
    return uri == absolute_uri(INSTANCE_PATH)


def group_for(person: Person) -> Space | Course | None:
    """The space or course a local Group actor speaks for (None for anyone else)."""
    if person.actor_type != GROUP or not person.is_local:
        return None
    return group_at(person.uri)


def group_at(uri: str) -> Space | Course | None:
    """The space or course whose actor id is `uri` (a URI on this server), if any."""
    if not uri or not is_local_uri(uri):
        return None
    space = Space.objects.filter(uri=uri).first()
    if space is not None:
        return space
    return Course.objects.filter(uri=uri).first()


def has_actor(group: Space | Course | None) -> bool:
    """Whether a space or course has a Group document: every space (a members-only one shows
    what its page shows everyone, never its threads) but a course's discussion space (the
    course's Group is its), and published courses, not drafts."""
    if isinstance(group, Space):
        return not is_course_space(group)
    return isinstance(group, Course) and course_federates(group)


def federates(group: Space | Course | None) -> bool:
    """Whether a space or course speaks ActivityPub (open space not a course's, published
    course)."""
    if isinstance(group, Space):
        return space_federates(group) and not is_course_space(group)
    if isinstance(group, Course):
        return course_federates(group)
    return False


def actor_of(group: Space | Course) -> Person:
    """The actor row of a space or a course."""
    return space_actor(group) if isinstance(group, Space) else course_actor(group)


def follower_count(actor: Person) -> int:
    """Remote people following a group actor."""
    return len(audience.remote_followers(actor))


def announcer_of(space: Space | None) -> Space | Course | None:
    """The group that speaks for a space's posts elsewhere: the published course whose
    discussion space it is, else the space itself when open; None for a members-only space or
    the space of a draft course."""
    if space is None or not space_federates(space):
        return None
    if is_course_space(space):
        return course_of(space)
    return space


def group_uri(group: Space | Course) -> str:
    """A space's or course's actor id."""
    return space_uri(group) if isinstance(group, Space) else course_uri(group)


def with_audience(obj: dict[str, Any], post: Post) -> dict[str, Any]:
    """A post's object naming the group it belongs to as its `audience` (FEP-1b12: how Lemmy
    and others tell which community a post is in): its open space, or the course whose
    discussion space that is."""
    group = announcer_of(post.space)
    if group is not None:
        obj["audience"] = group_uri(group)
    return obj
