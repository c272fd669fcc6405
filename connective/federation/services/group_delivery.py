"""What Groups send (FEP-1b12): the actors of open spaces and published courses pass on what
happens in them to their followers elsewhere.

- a new thread or reply in an open space: `Announce{Create}` (the Create wrapped, as FEP-1b12
  says) and, for a new thread, also `Announce{post}`: Mastodon, Pleroma and Misskey do not read
  wrapped activities and show this as a boost by the group (Lemmy sends the same pair, see its
  crates/apub/src/activities/community/announce.rs);
- an edit: `Announce{Update}`; a deletion: `Announce{Delete}`; the group's own edit:
  `Update{Group}`; a course's actor does all this for its discussion space, which has no
  Group of its own (one Group per conversation: nobody gets a post twice);
- the group's deletion: `Delete{Group}`, then its address answers 410 with a Tombstone;
- a Follow the group does not take: `Reject`.

Only groups whose actor rows exist send anything (a row is made when the group is first served
or followed), so a quiet space costs one query per post.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, State, Visibility
from connective.courses.models import Course
from connective.federation.context import ap_context
from connective.federation.services import audience, deliver
from connective.federation.services.groups import (
    actor_of,
    announcer_of,
    course_uri,
    existing_actor,
    federates,
    group_uri,
    has_actor,
    retire,
    space_uri,
    with_audience,
)
from connective.spaces.models import Space


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


def _announcers(post: Post) -> list[Person]:
    """The one actor that announces a post of an open space: the space's, or for a course's
    discussion space the course's (groups.announcer_of), if its row exists (no row: no
    followers)."""
    group = announcer_of(post.space)
    actor = existing_actor(group_uri(group)) if group is not None else None
    return [actor] if actor is not None else []


def on_post_published(post: Post, **_: object) -> None:
    """events.POST_PUBLISHED: an open space's actor (a course's, for its discussion space)
    announces its new threads and replies."""
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

    actor = existing_actor(group_uri(group))
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


def _farewell(uri: str, group: Space | Course) -> None:
    """A deleted group says Delete{Group} to its remote followers (sent although its row is
    then retired, as a deleted person's Delete is), and its row is kept for the Tombstone."""
    actor = existing_actor(uri)
    if actor is None and has_actor(group):
        actor = actor_of(group)  # never served yet: the row holds the Tombstone from now on
    if actor is None:
        return
    urls = audience.inboxes(audience.remote_followers(actor), shared=True)
    if urls:
        delete = {
            "@context": ap_context(),
            "id": f"{actor.uri}#delete/{int(timezone.now().timestamp() * 1000)}",
            "type": "Delete",
            "actor": actor.uri,
            "object": actor.uri,
            "to": [audience.PUBLIC],
            "cc": [audience.followers_uri(actor)],
        }
        deliver.enqueue(delete, actor, urls)
    retire(actor)


def on_space_deleted(space: Space, **_: object) -> None:
    """events.SPACE_DELETED (announced once, before its rows go): Delete{Group} to the space's
    followers elsewhere; its address answers 410 with a Tombstone from now on."""
    _farewell(space_uri(space), space)


def on_course_deleted(course: Course, **_: object) -> None:
    """events.COURSE_DELETED: the same for a course (its discussion space had no Group)."""
    _farewell(course_uri(course), course)


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
