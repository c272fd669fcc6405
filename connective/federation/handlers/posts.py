"""Create, Update and Delete of posts; Announce (boosts) and their Undo."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

import connective.federation.services.remote_objects as remote_objects
from connective.accounts.models import Person
from connective.content import federation as content_ap
from connective.content.models import Post
from connective.content.services.boosts import BoostError, boost_post, unboost_by_uri
from connective.content.services.posts import delete_post
from connective.core import events
from connective.federation.handlers.base import BadActivity, Forbidden, Ignored, undone
from connective.federation.handlers.groups import admit_space_reply
from connective.federation.models import DomainBlock
from connective.federation.services import audience
from connective.federation.wire import Activity, PostObject, WireError, same_origin
from connective.network.models import Connection

log = logging.getLogger("connective.federation.inbox")


def _post_object(activity: Activity, actor: Person) -> PostObject:
    try:
        obj = PostObject.from_dict(activity.embedded)
    except WireError as exc:
        raise BadActivity(str(exc)) from exc
    if obj.attributed_to != actor.uri:
        raise Forbidden("the object is attributed to someone else")
    if not same_origin(obj.id, actor.uri):
        raise Forbidden("the object's id is not on the actor's server")
    return obj


def _is_followed_here(actor: Person) -> bool:
    """Whether someone here has an active connection to or from the actor."""
    return Connection.objects.active().filter(owner=actor).exists() or (
        Connection.objects.active().filter(target=actor).exists()
    )


def _concerns_us(obj: PostObject, actor: Person, parent: Post | None) -> bool:
    """Keep a remote post only if someone here follows its author, it mentions one of ours,
    or it replies to a post we have; a silenced domain needs a follower here."""
    if _is_followed_here(actor):
        return True
    silenced = DomainBlock.objects.filter(domain=actor.domain).exists()
    if silenced:
        return False
    mentioned = [t.href for t in obj.tags if t.type == "Mention"]
    ours = Person.objects.local().filter(uri__in=mentioned).exists()
    return ours or parent is not None


def _parent(obj: PostObject) -> Post | None:
    if not obj.in_reply_to:
        return None
    parent = Post.objects.filter(uri=obj.in_reply_to).first()
    if parent is None:
        parent = remote_objects.fetch_ancestors(obj.in_reply_to)
    if parent is None or parent.deleted_at is not None:
        return None
    root = parent.thread_root or parent
    if root.locked_at is not None:
        raise Ignored("the thread is locked")
    if parent.space is not None:  # Ignored unless the space takes it (handlers/groups.py)
        admit_space_reply(parent, obj.attributed_to)
    return parent


def handle_create(activity: Activity, actor: Person) -> None:
    """A remote post: stored as a Post by its remote author when it concerns someone here."""
    obj = _post_object(activity, actor)
    existing = Post.objects.filter(uri=obj.id).first()
    if existing is not None:
        raise Ignored("we already have this post")
    parent = _parent(obj)
    if obj.in_reply_to and parent is None and not _is_followed_here(actor):
        raise Ignored("a reply to a post we do not know")
    if not _concerns_us(obj, actor, parent):
        raise Ignored("nobody here follows the author or is addressed")
    visibility = audience.visibility_from(obj.to, obj.cc, actor)
    content_ap.post_from_ap(obj, actor, visibility=visibility, in_reply_to=parent)


def handle_update_post(activity: Activity, actor: Person) -> None:
    """An edit of a remote post, only by its author."""
    obj = _post_object(activity, actor)
    post = Post.objects.filter(uri=obj.id).select_related("author").first()
    if post is None:
        raise Ignored("we do not have this post")
    if post.author_id != actor.pk:
        raise Forbidden("an Update of someone else's post")
    visibility = audience.visibility_from(obj.to, obj.cc, actor)
    content_ap.update_from_ap(post, obj, visibility)


def handle_delete(activity: Activity, actor: Person) -> None:
    """A remote post (or the actor's own account) is deleted: a tombstone here."""
    target = activity.object_id
    if not target:
        raise BadActivity("Delete without an object")
    if target == actor.uri:
        _account_deleted(actor)
        return
    post = Post.objects.filter(uri=target).first()
    if post is None:
        if not same_origin(target, actor.uri):
            raise Forbidden("a Delete of an object on another server")
        raise Ignored("we do not have this object")
    if post.author_id != actor.pk:
        raise Forbidden("a Delete of someone else's post")
    if post.deleted_at is None:
        delete_post(post)


def _account_deleted(actor: Person) -> None:
    """The actor deleted their account: as Mastodon does, they are gone here too — suspended,
    their posts tombstoned (so pages and course evidence forget them) and every connection to
    or from them ended. PERSON_DELETED is announced as for a local account, so search drops
    their profile and posts; federation's own subscriber sends nothing for a remote person:
    there is nobody left to tell."""
    now = timezone.now()
    Person.objects.filter(pk=actor.pk).update(suspended_at=now, deleted_at=now)
    actor.suspended_at = actor.deleted_at = now
    events.announce(events.PERSON_DELETED, person=actor)
    for post in Post.objects.filter(author=actor, deleted_at__isnull=True).iterator():
        delete_post(post)
    Connection.objects.filter(Q(owner=actor) | Q(target=actor)).delete()


def handle_announce(activity: Activity, actor: Person) -> None:
    """A boost: the post (which we have or fetch from its own id) shared by the actor, when
    the post is ours or someone here follows the actor (Mastodon's rule); a boost like a local
    one (content's boost service: streams, the author's notification)."""
    post = Post.objects.filter(uri=activity.object_id).first()
    if post is None or not post.author.is_local:
        if not _is_followed_here(actor):
            raise Ignored("nobody here follows the booster and the post is not ours")
    if post is None:
        post = remote_objects.fetch_post(activity.object_id)
    if post is None or post.deleted_at is not None:
        raise Ignored("the boosted post is unknown")
    try:
        if boost_post(actor, post, uri=activity.id) is None:
            raise Ignored("already boosted")
    except BoostError as exc:
        raise Ignored(str(exc)) from exc


def handle_undo_announce(activity: Activity, actor: Person) -> None:
    """A boost taken back (only the booster's own: the Boost is looked up by actor and id)."""
    inner = undone(activity, actor)
    if not unboost_by_uri(actor, inner.id):
        raise Ignored("no such boost")
