"""Inbound activities: an explicit registry of (activity type, object type) → one small handler.

The object type is None for activities whose object is a reference (Follow, Like, Delete...).
A handler runs only for an activity whose signature, key owner and origin were checked.
"""

from __future__ import annotations

from connective.federation.handlers import actors, follows, groups, moderation, posts, reactions
from connective.federation.handlers.base import (
    BadActivity,
    Forbidden,
    Handler,
    Ignored,
    stored_activity,
)
from connective.federation.wire import Activity

POST_TYPES = ("Note", "Article", "Page")
# What a group elsewhere (FEP-1b12: Lemmy, our spaces) announces: an activity, not a post to boost.
GROUP_ACTIVITIES = ("Create", "Update", "Delete", "Like", "Dislike", "Undo")

REGISTRY: dict[tuple[str, str | None], Handler] = {
    ("Follow", None): follows.handle_follow,
    ("Accept", None): follows.handle_accept,
    ("Reject", None): follows.handle_reject,
    ("Undo", "Follow"): follows.handle_undo_follow,
    ("Undo", "Like"): reactions.handle_undo_like,
    ("Undo", "Announce"): posts.handle_undo_announce,
    **{("Create", kind): posts.handle_create for kind in POST_TYPES},
    **{("Update", kind): posts.handle_update_post for kind in POST_TYPES},
    **{("Update", kind): actors.handle_update_actor for kind in actors.ACTOR_TYPES},
    ("Delete", None): posts.handle_delete,
    ("Like", None): reactions.handle_like,
    ("Announce", None): posts.handle_announce,
    **{("Announce", kind): groups.handle_group_announce for kind in GROUP_ACTIVITIES},
    ("Move", None): actors.handle_move,
    ("Flag", None): moderation.handle_flag,
    ("Block", None): follows.handle_block,
}

__all__ = ["REGISTRY", "BadActivity", "Forbidden", "Ignored", "handler_for"]


def _object_type(activity: Activity) -> str | None:
    """The embedded object's type; for an Undo of a bare id, the type of what we received then."""
    if activity.object_type is not None:
        return activity.object_type
    if activity.type == "Undo" and activity.object_id:
        raw = stored_activity(activity.object_id)
        if raw is not None and isinstance(raw.get("type"), str):
            return str(raw["type"])
    return None


def handler_for(activity: Activity) -> Handler | None:
    """The handler for an activity: by (type, object type), else by (type, None)."""
    kind = _object_type(activity)
    return REGISTRY.get((activity.type, kind)) or REGISTRY.get((activity.type, None))
