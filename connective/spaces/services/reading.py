"""What a viewer may read in a space: its threads, and a thread as a tree of replies.

Hidden posts keep their place in a thread: everyone sees "Hidden by a moderator: <reason>"
where the post was, never its text. The tree is content's own (content.services.thread),
given the hidden posts as well as the visible ones.
"""

from __future__ import annotations

from django.db.models import Q

from connective.accounts.models import Person
from connective.content.models import Post, State, Visibility
from connective.content.services import thread as tree
from connective.spaces.models import Space, Thread

OPEN = [Visibility.PUBLIC, Visibility.UNLISTED]


def can_read(space: Space, viewer: Person | None) -> bool:
    """Whether the viewer may read the space's threads (members only, for a members-only space)."""
    return not space.members_only or space.is_member(viewer)


def _hidden_in(space: Space, viewer: Person | None) -> Q:
    """Hidden posts whose place the viewer sees: published, not deleted, otherwise open to all
    (or their own), in a space the viewer may read."""
    if not can_read(space, viewer):
        return Q(pk__in=[])
    mine = Q(author_id=viewer.pk) if viewer is not None else Q(pk__in=[])
    return Q(
        space=space,
        hidden_at__isnull=False,
        deleted_at__isnull=True,
        state=State.PUBLISHED,
    ) & (Q(visibility__in=OPEN) | mine)


def find_thread(space: Space, pk: int, viewer: Person | None) -> Thread | None:
    """The thread of `space` starting with post `pk`, if the viewer may read it; None for a
    thread that is hidden from them and one that does not exist alike."""
    thread = (
        Thread.objects.filter(space=space, root_id=pk)
        .select_related("root", "root__author", "root__hidden_by", "space")
        .first()
    )
    if thread is None:
        return None
    if Post.objects.visible_to(viewer).filter(pk=pk).exists():
        return thread
    if Post.objects.filter(_hidden_in(space, viewer), pk=pk).exists():
        return thread
    return thread if _deleted_root_with_replies(thread, viewer) else None


def _deleted_root_with_replies(thread: Thread, viewer: Person | None) -> bool:
    """A thread whose first post (once open to all) was deleted stays readable while replies
    the viewer may see remain, so links to those replies keep working."""
    root = thread.root
    if root.deleted_at is None or root.visibility not in OPEN:
        return False
    if not can_read(thread.space, viewer):
        return False
    return Post.objects.visible_to(viewer).filter(thread_root=root).exists()


def thread_nodes(thread: Thread, viewer: Person | None) -> list[tree.ThreadNode]:
    """The replies of a thread the viewer may see, nested, hidden ones in place."""
    root = thread.root
    visible = Post.objects.visible_to(viewer).filter(thread_root=root).values("pk")
    rows = (
        Post.objects.filter(
            Q(pk__in=visible)
            | Q(thread_root=root, deleted_at__isnull=False)
            | (Q(thread_root=root) & _hidden_in(thread.space, viewer))
        )
        .select_related("author")
        .order_by("created_at", "id")[: tree.MAX_THREAD_POSTS]
    )
    shown = {post.pk: post for post in rows}
    parents = dict(
        Post.objects.filter(thread_root=root)
        .exclude(in_reply_to__isnull=True)
        .values_list("pk", "in_reply_to_id")
    )
    children: dict[int, list[tuple[Post, bool]]] = {}
    for post in shown.values():
        parent_id, hoisted = tree.shown_parent(post.pk, root.pk, shown, parents)
        if parent_id is not None:
            children.setdefault(parent_id, []).append((post, hoisted))
    nodes = tree.build_nodes(root.pk, children, shown, depth=1)
    return [node for node in nodes if tree.keeps(node)]


def reply_parent(thread: Thread, pk: int | None, viewer: Person | None) -> Post | None:
    """The post a reply answers: the thread's first post or one of its replies the viewer sees."""
    if pk is None:
        return None
    in_thread = Q(pk=thread.root_id) | Q(thread_root_id=thread.root_id)
    return Post.objects.visible_to(viewer).filter(in_thread, pk=pk).select_related("space").first()
