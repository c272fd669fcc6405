"""Spaces and courses as ActivityPub Group actors (FEP-1b12), and the instance actor.

Each federated space or course is spoken for by a local Person row with no User
(`actor_type` "Group"; the instance actor is "Application"), made on first need: its `uri` is
the space's or course's own URL, so the key, the delivery queue and the Accept/Reject of a
Follow work exactly as for people. Its handle is internal (`space.<pk>`, `course.<pk>`,
`instance.actor`): the name other servers see is the document's `preferredUsername`.

Followers are connections to that row (a remote Follow is a connection owned by the follower,
as for a person). What a group sends: an `Announce` of each new thread and reply in an open
space (the `Create` wrapped, as FEP-1b12 says; plus, for a new thread, an `Announce` of the post
itself, which is what Mastodon and other microblogs show as a boost), and for a course the
announcements its team posts in the course's space. A members-only space never federates its
content: its Group shows only what its page shows everyone (name, description), and a Follow
of it is refused (the Reject is signed by its key, which other servers can fetch from there).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, State, Visibility
from connective.core.uris import absolute_uri, is_local_uri
from connective.courses.models import Course
from connective.federation.context import ap_context
from connective.federation.services import audience, deliver
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


def _existing_actor(uri: str) -> Person | None:
    """The actor row at `uri` if it was ever made (rows are made when first served or followed)."""
    return Person.objects.local().filter(uri=uri).first()


def space_uri(space: Space) -> str:
    """A space's actor id: its canonical URI (its page's address)."""
    return space.uri or absolute_uri(space.get_absolute_url())


def course_uri(course: Course) -> str:
    """A course's actor id: its canonical URI (its page's address)."""
    return course.uri or absolute_uri(course.get_absolute_url())


def space_federates(space: Space | None) -> bool:
    """Only open spaces have an actor; members-only content never leaves the server."""
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


# --- what groups send ---------------------------------------------------------------------


def _create_of(post: Post) -> dict[str, Any]:
    """The Create a post was made with: the full object for our own posts, the id otherwise."""
    from connective.federation.services.outgoing import post_object

    if post.author.is_local:
        obj: Any = with_audience(post_object(post), post)
        to, cc = obj["to"], obj["cc"]
        return {
            "id": f"{post.uri}#create",
            "type": "Create",
            "actor": post.author.uri,
            "object": obj,
            "to": to,
            "cc": cc,
        }
    return {
        "id": f"{post.uri}#create",
        "type": "Create",
        "actor": post.author.uri,
        "object": post.uri,
    }


def with_audience(obj: dict[str, Any], post: Post) -> dict[str, Any]:
    """A post's object naming the open space it belongs to as its `audience` (FEP-1b12: how
    Lemmy and others tell which community a post is in)."""
    space = post.space
    if space is not None and space_federates(space):
        obj["audience"] = space_uri(space)
    return obj


def _announce(actor: Person, obj: Any, activity_id: str) -> dict[str, Any]:
    followers = audience.followers_uri(actor)
    return {
        "@context": ap_context(),
        "id": activity_id,
        "type": "Announce",
        "actor": actor.uri,
        "object": obj,
        "to": [audience.PUBLIC],
        "cc": [followers],
        "audience": actor.uri,
    }


def _inboxes_except(actor: Person, author: Person) -> list[str]:
    """The shared inboxes of the group's remote followers, the author's own server left out
    when the author is remote (it has the post already)."""
    people = audience.remote_followers(actor)
    urls = audience.inboxes(people, shared=True)
    if not author.is_local:
        own = {author.inbox_url, author.shared_inbox_url} - {""}
        urls = [url for url in urls if url not in own]
    return urls


def announce_document(actor: Person, post: Post) -> dict[str, Any]:
    """The group's Announce of the Create of `post` (FEP-1b12)."""
    return _announce(actor, _create_of(post), f"{actor.uri}#announces/{post.pk}/create")


def announce_post(actor: Person, post: Post) -> int:
    """The group announces a post to its followers: Announce{Create} (FEP-1b12), and for a
    new thread also Announce{post} (a boost to microblogs). Returns the deliveries queued."""
    urls = _inboxes_except(actor, post.author)
    if not urls:
        return 0
    queued = len(deliver.enqueue(announce_document(actor, post), actor, urls))
    if post.in_reply_to_id is None:
        boost = _announce(actor, post.uri, f"{actor.uri}#announces/{post.pk}")
        queued += len(deliver.enqueue(boost, actor, urls))
    return queued


def _announceable(post: Post) -> bool:
    """A published public post, visible to anyone, in an open space."""
    return (
        post.state == State.PUBLISHED
        and post.deleted_at is None
        and post.hidden_at is None
        and post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED)
        and post.space_id is not None
        and (post.uri or "").startswith(("https://", "http://"))
    )


def _courses_announcing(post: Post, space: Space) -> list[Course]:
    """Published courses whose space this is and whose team wrote this new thread."""
    if post.in_reply_to_id is not None:
        return []
    courses = Course.objects.published().filter(space_id=space.pk)
    return list(courses.filter(team_rows__person_id=post.author.pk))


def _announcers(post: Post) -> list[Person]:
    """The actors that announce a post of an open space: the space's, and for a thread its
    course team started, the course's (those whose rows exist: others have no followers)."""
    space = post.space
    if space is None or not space_federates(space):
        return []
    actors = [_existing_actor(space_uri(space))]
    actors += [_existing_actor(course_uri(c)) for c in _courses_announcing(post, space)]
    return [actor for actor in actors if actor is not None]


def on_post_published(post: Post, **_: object) -> None:
    """events.POST_PUBLISHED: an open space's actor announces its new threads and replies; a
    course's actor announces the threads its team starts in the course's space."""
    if _announceable(post):
        for actor in _announcers(post):
            announce_post(actor, post)


def on_post_edited(post: Post, **_: object) -> None:
    """events.POST_EDITED: the groups pass an edit of a post they announced on (FEP-1b12:
    Announce{Update}); servers that read it refetch the post from its own id."""
    if not _announceable(post) or not post.author.is_local:
        return
    from connective.federation.services.outgoing import post_object

    stamp = int(timezone.now().timestamp() * 1000)
    update = {
        "id": f"{post.uri}#update-{stamp}",
        "type": "Update",
        "actor": post.author.uri,
        "object": with_audience(post_object(post), post),
    }
    for actor in _announcers(post):
        urls = _inboxes_except(actor, post.author)
        if urls:
            doc = _announce(actor, update, f"{actor.uri}#announces/{post.pk}/update-{stamp}")
            deliver.enqueue(doc, actor, urls)


def on_post_deleted(post: Post, **_: object) -> None:
    """events.POST_DELETED: the groups tell those they announced the post to that it is gone."""
    if not post.author.is_local or post.space_id is None:
        return
    delete = {
        "id": f"{post.uri}#delete",
        "type": "Delete",
        "actor": post.author.uri,
        "object": {"id": post.uri, "type": "Tombstone"},
    }
    for actor in _announcers(post):
        urls = _inboxes_except(actor, post.author)
        if urls:
            doc = _announce(actor, delete, f"{actor.uri}#announces/{post.pk}/delete")
            deliver.enqueue(doc, actor, urls)


def _send_update(group: Space | Course) -> None:
    """Update{Group} to the group's followers, so their copy of its name and summary follows."""
    from connective.federation.documents.group import group_to_ap

    uri = space_uri(group) if isinstance(group, Space) else course_uri(group)
    actor = _existing_actor(uri)
    if actor is None or not federates(group):
        return  # no row yet: nobody follows it
    urls = audience.inboxes(audience.remote_followers(actor), shared=True)
    if not urls:
        return
    doc = group_to_ap(group, actor)
    doc.pop("@context", None)
    stamp = int(timezone.now().timestamp() * 1000)
    update = {
        "@context": ap_context(),
        "id": f"{actor.uri}#updates/{stamp}",
        "type": "Update",
        "actor": actor.uri,
        "object": doc,
        "to": [audience.PUBLIC],
        "cc": [audience.followers_uri(actor)],
    }
    deliver.enqueue(update, actor, urls)


def on_space_changed(space: Space, **_: object) -> None:
    """events.SPACE_CHANGED: tell the space's followers its new name, summary or topics."""
    _send_update(space)


def on_course_changed(course: Course, **_: object) -> None:
    """events.COURSE_CHANGED: tell the course's followers its new title or summary."""
    _send_update(course)


def reject_follow(actor: Person, follower: Person, follow: dict[str, Any]) -> None:
    """Answer a Follow the group does not take (members-only, unpublished) with a Reject."""
    doc = {
        "@context": ap_context(),
        "id": f"{actor.uri}#rejects/{follower.pk}",
        "type": "Reject",
        "actor": actor.uri,
        "object": follow,
    }
    urls = audience.inboxes([follower], shared=False)
    if urls:
        deliver.enqueue(doc, actor, urls)
