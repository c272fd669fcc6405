"""Start threads and reply in them; keep each thread's and space's last activity current.

A thread is a note with a title (not an article: articles are a person's blog and a course's
"write" evidence, a thread is a conversation in a space). Its replies are notes in the same
thread, created through content's `create_post`, which refuses replies by non-members and to
locked threads.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from connective.accounts.models import Person
from connective.content.models import Kind, Post, Visibility
from connective.content.services.posts import PostDraft, PostError, create_post, edit_post
from connective.spaces.errors import SpaceError
from connective.spaces.models import Space, Thread
from connective.spaces.services import subscriptions

__all__ = ["SpaceError", "edit_thread", "on_post_published", "reply", "start_thread"]


@transaction.atomic
def start_thread(
    author: Person, space: Space, *, title: str, body: str, topics: Iterable[str] = ()
) -> Post:
    """A new thread in `space` by one of its members; its first post is returned. The author
    follows it, and those who follow the space hear of it."""
    if not space.is_member(author):
        raise SpaceError("Join the space to start a thread.")
    if not title.strip():
        raise SpaceError("Give the thread a title.", "title")
    if not body.strip():
        raise SpaceError("Write the first post of the thread.", "body")
    draft = PostDraft(
        kind=Kind.NOTE,
        title=title,
        body=body,
        topics=list(topics),
        visibility=Visibility.PUBLIC,
        space=space,
    )
    return _create(author, draft)


@transaction.atomic
def reply(author: Person, parent: Post, *, body: str) -> Post:
    """A reply in a space's thread to `parent` (the thread's first post or any reply in it)."""
    if parent.space_id is None:
        raise SpaceError("That post is not in a space.")
    parent = Post.objects.get(pk=parent.pk)  # a lock may have come since the caller read it
    draft = PostDraft(kind=Kind.NOTE, body=body, visibility=Visibility.PUBLIC, in_reply_to=parent)
    return _create(author, draft)


@transaction.atomic
def edit_thread(root: Post, *, title: str, body: str, topics: Iterable[str] = ()) -> Post:
    """Change a thread's title, first post and topics (its author's page; it stays public)."""
    if not title.strip():
        raise SpaceError("Give the thread a title.", "title")
    draft = PostDraft(
        kind=Kind.NOTE, title=title, body=body, topics=list(topics), visibility=Visibility.PUBLIC
    )
    try:
        return edit_post(root, draft)
    except PostError as exc:
        raise SpaceError(str(exc), exc.field or "") from exc


def _create(author: Person, draft: PostDraft) -> Post:
    try:
        return create_post(author, draft)
    except PostError as exc:
        raise SpaceError(str(exc), exc.field or "") from exc


def on_post_published(post: Post, **_: object) -> None:
    """events.POST_PUBLISHED: for posts in a space, record the thread, its last activity and
    the space's, subscribe the author, and tell those who follow."""
    if post.space_id is None:
        return
    if post.in_reply_to_id is None:
        thread, _created = Thread.objects.get_or_create(
            root=post, defaults={"space_id": post.space_id, "last_activity_at": post.created_at}
        )
        Space.objects.filter(pk=post.space_id).update(last_activity_at=post.created_at)
        subscriptions.follow_thread(post.author, thread)
        subscriptions.tell_space_followers(thread, post)
        return
    found = Thread.objects.filter(root_id=post.thread_root_id).select_related("root").first()
    if found is None:
        return
    Thread.objects.filter(pk=found.pk).update(last_activity_at=post.created_at)
    Space.objects.filter(pk=post.space_id).update(last_activity_at=post.created_at)
    subscriptions.follow_thread(post.author, found)
    subscriptions.tell_thread_followers(found, post)
