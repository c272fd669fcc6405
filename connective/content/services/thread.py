"""A discussion as a tree: every post of a thread in two queries, arranged in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from connective.accounts.models import Person
from connective.content.models import Post

MAX_DEPTH = 5
MAX_THREAD_POSTS = 500


@dataclass
class ThreadNode:
    """One post in a displayed thread.

    `reply_to` names whom a reply answers when it is shown flat (deeper than MAX_DEPTH) or
    moved up past a post the viewer cannot see (`hoisted`). A deleted post is kept only to
    hold replies the viewer can see.
    """

    post: Post
    depth: int
    children: list[ThreadNode] = field(default_factory=list)
    reply_to: Person | None = None
    hoisted: bool = False

    @property
    def deleted(self) -> bool:
        """Whether this is the tombstone of a deleted post."""
        return self.post.deleted_at is not None


def thread_root(post: Post) -> Post:
    """The first post of the thread `post` belongs to (the post itself if it starts one)."""
    return post.thread_root if post.thread_root_id and post.thread_root else post


def thread_posts(root: Post, viewer: Person | None) -> tuple[dict[int, Post], dict[int, int]]:
    """The thread's posts the viewer may see (and tombstones), and every post's parent id."""
    visible = Post.objects.visible_to(viewer).filter(thread_root=root).values("pk")
    rows = (
        Post.objects.filter(Q(pk__in=visible) | Q(thread_root=root, deleted_at__isnull=False))
        .select_related("author")
        .order_by("created_at", "id")[:MAX_THREAD_POSTS]
    )
    shown = {post.pk: post for post in rows}
    parents = dict(
        Post.objects.filter(thread_root=root)
        .exclude(in_reply_to__isnull=True)
        .values_list("pk", "in_reply_to_id")
    )
    return shown, parents


def replies_below(anchor: Post, viewer: Person | None) -> list[ThreadNode]:
    """The replies under `anchor` the viewer may see, nested up to MAX_DEPTH levels."""
    shown, parents = thread_posts(thread_root(anchor), viewer)
    children: dict[int, list[tuple[Post, bool]]] = {}
    for post in shown.values():
        parent_id, hoisted = shown_parent(post.pk, anchor.pk, shown, parents)
        if parent_id is not None:
            children.setdefault(parent_id, []).append((post, hoisted))
    nodes = build_nodes(anchor.pk, children, shown, depth=1)
    return [node for node in nodes if keeps(node)]


def shown_parent(
    pk: int, anchor_id: int, shown: dict[int, Post], parents: dict[int, int]
) -> tuple[int | None, bool]:
    """The nearest shown ancestor (or the anchor) of a post, and whether hidden ones were skipped.

    None when the post is not below the anchor.
    """
    hoisted = False
    current = parents.get(pk)
    for _ in range(len(parents) + 1):  # in_reply_to cannot loop locally; stay bounded anyway
        if current is None:
            return None, hoisted
        if current == anchor_id or current in shown:
            return current, hoisted
        hoisted = True
        current = parents.get(current)
    return None, hoisted


def build_nodes(
    parent_id: int,
    children: dict[int, list[tuple[Post, bool]]],
    shown: dict[int, Post],
    depth: int,
) -> list[ThreadNode]:
    """The reply tree below `parent_id`, from each post's shown children, to `depth` and on."""
    nodes = []
    for post, hoisted in children.get(parent_id, []):
        node = ThreadNode(post, depth, hoisted=hoisted)
        if depth < MAX_DEPTH:
            node.children = build_nodes(post.pk, children, shown, depth + 1)
            nodes.append(node)
        else:
            nodes.append(node)
            nodes.extend(_flat(post, children, depth))
    return nodes


def _flat(post: Post, children: dict[int, list[tuple[Post, bool]]], depth: int) -> list[ThreadNode]:
    """Everything below `post`, in reading order, shown at `depth` with whom each answers."""
    out = []
    stack = [(post, child, hoisted) for child, hoisted in reversed(children.get(post.pk, []))]
    while stack:  # a loop, not recursion: a long chain of replies must not hit the stack limit
        parent, child, hoisted = stack.pop()
        reply_to = None if parent.deleted_at else parent.author
        out.append(ThreadNode(child, depth, reply_to=reply_to, hoisted=hoisted))
        stack.extend((child, grand, h) for grand, h in reversed(children.get(child.pk, [])))
    return out


def keeps(node: ThreadNode) -> bool:
    """Drop tombstones that hold no visible reply (recursively); True if the node stays."""
    node.children = [child for child in node.children if keeps(child)]
    return not node.deleted or bool(node.children)
