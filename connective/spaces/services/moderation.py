"""What moderators do in their space: pin, lock, hide posts; every action is logged."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post
from connective.content.services.posts import set_hidden
from connective.core import events
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.spaces.errors import SpaceError
from connective.spaces.models import ModerationAction, Space, Thread

Action = ModerationAction.Action
REASON_MAX = 500


def _require_moderator(space: Space, person: Person) -> None:
    if not space.is_moderator(person):
        raise SpaceError("Only the space's moderators can do that.")


def _log(space: Space, by: Person, action: str, **fields) -> None:
    ModerationAction.objects.create(space=space, moderator=by, action=action, **fields)


@transaction.atomic
def pin(thread: Thread, by: Person, pinned: bool = True) -> Thread:
    """Pin a thread to the top of its space (or unpin it)."""
    _require_moderator(thread.space, by)
    if thread.pinned != pinned:
        thread.pinned_at = timezone.now() if pinned else None
        thread.save(update_fields=["pinned_at"])
        _log(thread.space, by, Action.PIN if pinned else Action.UNPIN, post=thread.root)
    return thread


@transaction.atomic
def lock(thread: Thread, by: Person, locked: bool = True) -> Thread:
    """Close a thread to new replies (or open it again)."""
    _require_moderator(thread.space, by)
    root = thread.root
    if (root.locked_at is not None) != locked:
        root.locked_at = timezone.now() if locked else None
        Post.objects.filter(pk=root.pk).update(locked_at=root.locked_at)
        _log(thread.space, by, Action.LOCK if locked else Action.UNLOCK, post=root)
    return thread


@transaction.atomic
def hide(post: Post, by: Person, reason: str) -> Post:
    """Hide a post of the space with a reason everyone sees in its place; its author is told.

    What notifications quoted from it goes too, and the apps above hear that its audience
    changed (POST_EDITED), so search drops it.
    """
    space = _space_of(post)
    _require_moderator(space, by)
    reason = " ".join(reason.split())
    if not reason:
        raise SpaceError("Say why the post is hidden; everyone will see the reason.", "reason")
    if len(reason) > REASON_MAX:
        raise SpaceError(f"Keep the reason under {REASON_MAX} characters.", "reason")
    if post.hidden_at is not None or post.deleted_at is not None:
        raise SpaceError("That post is already hidden or deleted.")
    set_hidden(post, by, reason)
    Notification.objects.filter(object_key=f"post:{post.pk}").delete()
    _log(space, by, Action.HIDE, post=post, person=post.author, reason=reason)
    notify(
        post.author,
        by,
        Notification.Kind.POST_HIDDEN,
        url=space.get_absolute_url(),
        data={"space": space.name, "reason": reason},
        object_key=f"hidden:{post.pk}",
    )
    events.announce(events.POST_EDITED, post=post)
    return post


@transaction.atomic
def unhide(post: Post, by: Person) -> Post:
    """Show a hidden post again."""
    space = _space_of(post)
    _require_moderator(space, by)
    if post.hidden_at is None:
        return post
    set_hidden(post, None)
    _log(space, by, Action.UNHIDE, post=post, person=post.author)
    events.announce(events.POST_EDITED, post=post)
    return post


def _space_of(post: Post) -> Space:
    if post.space_id is None:
        raise SpaceError("That post is not in a space.")
    space = Space.objects.filter(pk=post.space_id).first()
    if space is None:  # being deleted
        raise SpaceError("That post is not in a space.")
    return space


def log_for(space: Space, viewer: Person | None, limit: int = 100) -> list[ModerationAction]:
    """The space's moderation log, newest first, for its moderators only."""
    if not space.is_moderator(viewer):
        return []
    return list(space.moderation_actions.select_related("moderator", "person", "post")[:limit])
