"""Like ↔ our "useful" mark, and its Undo."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.content.models import Post
from connective.content.services.useful import UsefulError, mark_useful, unmark_useful
from connective.federation.handlers.base import Ignored, undone
from connective.federation.wire import Activity


def _post(uri: str) -> Post:
    post = Post.objects.filter(uri=uri).first()
    if post is None:
        raise Ignored("the liked post is unknown")
    return post


def handle_like(activity: Activity, actor: Person) -> None:
    """A remote Like of a post here: a useful mark (once, whatever the replays)."""
    post = _post(activity.object_id)
    try:
        if not mark_useful(actor, post):
            raise Ignored("already marked useful")
    except UsefulError as exc:
        raise Ignored(str(exc)) from exc


def handle_undo_like(activity: Activity, actor: Person) -> None:
    """A remote Like taken back."""
    inner = undone(activity, actor)
    if not unmark_useful(actor, _post(inner.object_id)):
        raise Ignored("there was no useful mark")
