"""Groups in the inbox: Follows of our spaces and courses, remote replies into a space's
threads, and the Announces that groups elsewhere (FEP-1b12) send to people here.
"""

from __future__ import annotations

import logging

from connective.accounts.models import Person
from connective.content import federation as content_ap
from connective.content.models import Post
from connective.content.services.posts import delete_post
from connective.core.http import FetchError
from connective.federation.handlers.base import BadActivity, Ignored
from connective.federation.services import audience, group_delivery, groups, remote_objects
from connective.federation.services.fetch import ObjectGone, fetch_object
from connective.federation.wire import Activity, PostObject, WireError, same_origin
from connective.network.models import Connection
from connective.network.services.relations import is_blocked_between
from connective.spaces.models import Space

log = logging.getLogger("connective.federation.inbox")


def group_actor_at(uri: str) -> Person | None:
    """The actor of the space or course whose id is `uri` (made on first need), or None."""
    if groups.is_instance_uri(uri):
        return groups.instance_actor()
    return groups.actor_if_any(groups.group_at(uri))  # not a course's space: it has none


def takes_follow(activity: Activity, actor: Person, target: Person) -> bool:
    """Whether a Follow of a space or course is taken (and then accepted at once): only for an
    open space or a published course. A members-only space and the instance actor answer with
    a Reject (signed by their key, which the follower's server can fetch from their document);
    a draft course, which has no document, is ignored. Nothing else changes here."""
    if target.suspended_at is not None:  # a deleted space's or course's row: it said Delete
        return False
    group = groups.group_for(target)
    if groups.federates(group):
        return True
    if group is None or groups.has_actor(group):
        follow = {"id": activity.id, "type": "Follow", "actor": actor.uri, "object": target.uri}
        group_delivery.reject_follow(target, actor, follow)
    return False


def _follows(person: Person, space: Space) -> bool:
    """Whether `person` follows the space's actor, or the actor of a course it belongs to."""
    uris = [groups.space_uri(space), *(groups.course_uri(c) for c in space.courses.all())]
    return Connection.objects.active().filter(owner=person, target__uri__in=uris).exists()


def admit_space_reply(parent: Post, replier: Person | str) -> None:
    """Whether a remote reply may join a thread in a space (Ignored if not): the space is open,
    the replier (a Person, or the object's attributedTo, already checked to be the actor)
    follows it — following is how people elsewhere join — and neither the post replied to nor
    the thread's first post is by someone who blocked them or whom they blocked. Locked threads
    are refused before this; moderators hide replies as any other."""
    actor = Person.objects.filter(uri=replier).first() if isinstance(replier, str) else replier
    if actor is None:
        raise Ignored("the replier is unknown")
    space = parent.space
    if not groups.space_federates(space):
        raise Ignored("replies in members-only spaces are not taken from other servers")
    assert space is not None
    if not _follows(actor, space):
        raise Ignored("only those who follow the space may reply in it from another server")
    root = parent.thread_root or parent
    for author in {parent.author, root.author}:
        if is_blocked_between(actor, author):
            raise Ignored("the replier and the author block each other")


def _someone_follows(group: Person) -> bool:
    return Connection.objects.active().filter(target=group, owner__domain="").exists()


def _inner(activity: Activity) -> tuple[str, str]:
    """(type, object id) of the activity a group announced."""
    inner = activity.embedded or {}
    kind = inner.get("type")
    obj = inner.get("object")
    obj_id = obj.get("id") if isinstance(obj, dict) else obj
    if not isinstance(kind, str) or not isinstance(obj_id, str) or not obj_id:
        raise BadActivity("the announced activity has no type or object")
    return kind, obj_id


def handle_group_announce(activity: Activity, actor: Person) -> None:
    """A group elsewhere announces an activity (FEP-1b12) to its followers here. The embedded
    activity is not believed: a Create's object is fetched from its own id (with its parents,
    public posts only), an Update refetches our copy, and a Delete is believed only if the
    object's own server says it is gone."""
    if not _someone_follows(actor):
        raise Ignored("nobody here follows this group")
    kind, obj_id = _inner(activity)
    if kind == "Create":
        if remote_objects.fetch_ancestors(obj_id) is None:
            raise Ignored("the announced post could not be fetched")
        return
    if kind == "Update":
        _refresh(obj_id)
        return
    if kind == "Delete":
        _delete_if_gone(obj_id)
        return
    raise Ignored(f"announced {kind[:40]} is not handled")


def _refresh(obj_id: str) -> None:
    """An announced edit: our copy of the post is refetched from its own id (never taken from
    the announce), and only its author's server may change it."""
    post = Post.objects.filter(uri=obj_id).select_related("author").first()
    if post is None or post.deleted_at is not None or post.author.is_local:
        raise Ignored("we do not have this post")
    try:
        obj = PostObject.from_dict(fetch_object(obj_id))
    except (FetchError, WireError) as exc:
        raise Ignored(f"the edited post could not be fetched: {exc}") from exc
    if obj.attributed_to != post.author.uri or not same_origin(obj.id, post.author.uri):
        raise Ignored("the fetched post is not by its author")
    visibility = audience.visibility_from(obj.to, obj.cc, post.author)
    content_ap.update_from_ap(post, obj, visibility)


def _delete_if_gone(obj_id: str) -> None:
    post = Post.objects.filter(uri=obj_id).select_related("author").first()
    if post is None or post.deleted_at is not None or post.author.is_local:
        raise Ignored("we do not have this post")
    if not same_origin(obj_id, post.author.uri):
        raise Ignored("the post is not on its author's server")
    try:
        fetch_object(obj_id)
    except ObjectGone:
        delete_post(post)
        return
    except FetchError as exc:
        log.info("announced delete of %s not checked: %s", obj_id[:200], exc)
    raise Ignored("the post is still there")
