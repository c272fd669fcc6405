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

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.uris import absolute_uri, is_local_uri
from connective.courses.models import Course
from connective.federation.services import audience
from connective.spaces.models import Space

log = logging.getLogger("connective.federation")

GROUP = "Group"
APPLICATION = "Application"
INSTANCE_HANDLE = "instance.actor"
INSTANCE_PATH = "/actor"


def _actor_row(uri: str, handle: str, kind: str, name: str) -> Person:
    """The local actor row for `uri`, created on first need (a race creates it once)."""
    person = Person.objects.filter(uri=uri).first()
    if person is not None:
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
    """The actor row at `uri` if it was ever made (rows are made when first served or followed)."""
    return Person.objects.local().filter(uri=uri).first()


def space_uri(space: Space) -> str:
    """A space's actor id: its canonical URI (its page's address)."""
    return space.uri or absolute_uri(space.get_absolute_url())


def course_uri(course: Course) -> str:
    """A course's actor id: its canonical URI (its page's address)."""
    return course.uri or absolute_uri(course.get_absolute_url())


def space_federates(space: Space | None) -> bool:
    """Whether a space's content federates: only an open one's (members-only never leaves)."""
    return space is not None and not space.members_only


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
    from connective.core.uris import site_host
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


def group_named(name: str) -> Space | Course | None:
    """The open space (`slug`) or published course (`course.<slug>`) a handle names."""
    from connective.federation.documents.group import COURSE_PREFIX

    name = name.lower()
    group: Space | Course | None
    if name.startswith(COURSE_PREFIX):
        group = Course.objects.filter(slug=name.removeprefix(COURSE_PREFIX)).first()
    else:
        group = Space.objects.filter(slug=name).first()
    return group if has_actor(group) else None


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
    what its page shows everyone, never its threads) and published courses, not drafts."""
    if isinstance(group, Space):
        return True
    return isinstance(group, Course) and course_federates(group)


def federates(group: Space | Course | None) -> bool:
    """Whether a space or course speaks ActivityPub (open space, published course)."""
    if isinstance(group, Space):
        return space_federates(group)
    if isinstance(group, Course):
        return course_federates(group)
    return False


def actor_of(group: Space | Course) -> Person:
    """The actor row of a space or a course."""
    return space_actor(group) if isinstance(group, Space) else course_actor(group)


def follower_count(actor: Person) -> int:
    """Remote people following a group actor."""
    return len(audience.remote_followers(actor))


def with_audience(obj: dict[str, Any], post: Post) -> dict[str, Any]:
    """A post's object naming the open space it belongs to as its `audience` (FEP-1b12: how
    Lemmy and others tell which community a post is in)."""
    space = post.space
    if space is not None and space_federates(space):
        obj["audience"] = space_uri(space)
    return obj
