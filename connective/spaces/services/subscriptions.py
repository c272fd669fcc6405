"""Follow threads and spaces, and tell their followers what happened."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from connective.accounts.models import Person
from connective.content.models import Post
from connective.network.services.relations import wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.spaces.errors import SpaceError
from connective.spaces.models import Space, SpaceSubscription, Thread, ThreadSubscription

EXCERPT = 140


def follow_thread(person: Person, thread: Thread) -> None:
    """`person` hears of replies in `thread` (idempotent)."""
    if not person.is_local:
        return
    try:
        with transaction.atomic():
            ThreadSubscription.objects.get_or_create(person=person, thread=thread)
    except IntegrityError:
        pass


def unfollow_thread(person: Person, thread: Thread) -> None:
    """`person` no longer hears of replies in `thread`."""
    ThreadSubscription.objects.filter(person=person, thread=thread).delete()


def follow_space(person: Person, space: Space) -> None:
    """`person` hears of new threads in `space`; a members-only one only for members."""
    if space.members_only and not space.is_member(person):
        raise SpaceError("Join the space to follow it.")
    try:
        with transaction.atomic():
            SpaceSubscription.objects.get_or_create(person=person, space=space)
    except IntegrityError:
        pass


def unfollow_space(person: Person, space: Space) -> None:
    """`person` no longer hears of new threads in `space`."""
    SpaceSubscription.objects.filter(person=person, space=space).delete()


def follows_thread(person: Person | None, thread: Thread) -> bool:
    """Whether `person` follows `thread`."""
    return person is not None and thread.subscriptions.filter(person_id=person.pk).exists()


def follows_space(person: Person | None, space: Space) -> bool:
    """Whether `person` follows `space`."""
    return person is not None and space.subscriptions.filter(person_id=person.pk).exists()


def tell_space_followers(thread: Thread, post: Post) -> None:
    """A new thread: notify the space's followers (kind space_thread)."""
    followers = Person.objects.filter(space_subscriptions__space_id=thread.space_id)
    for person in followers.exclude(pk=post.author_id):
        _tell(person, post, Notification.Kind.SPACE_THREAD, _data(thread, post))


def tell_thread_followers(thread: Thread, post: Post) -> None:
    """A reply: notify the thread's followers (kind thread_reply), except the author, the
    person answered and those mentioned, whom content already told."""
    skip = {post.author_id, *post.mentions.values_list("pk", flat=True)}
    if post.in_reply_to_id:
        parent_author = Post.objects.filter(pk=post.in_reply_to_id).values("author_id")
        skip.update(row["author_id"] for row in parent_author)
    followers = Person.objects.filter(thread_subscriptions__thread=thread).exclude(pk__in=skip)
    for person in followers:
        _tell(person, post, Notification.Kind.THREAD_REPLY, _data(thread, post))


def _data(thread: Thread, post: Post) -> dict[str, Any]:
    root = thread.root if thread.root_id != post.pk else post
    return {"thread": root.title, "space": thread.space.name, "excerpt": post.excerpt(EXCERPT)}


def _tell(person: Person, post: Post, kind: str, data: dict[str, Any]) -> None:
    """Notify only those who may see the post and want to hear from its author (T-28)."""
    if not wants_to_hear_from(person, post.author):
        return
    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
        return
    url = f"{thread_url(post)}#post-{post.pk}"
    notify(person, post.author, kind, url=url, data=data, object_key=f"post:{post.pk}")


def thread_url(post: Post) -> str:
    """The address of the thread page showing `post`."""
    root_id = post.thread_root_id or post.pk
    slug = Space.all_objects.values_list("slug", flat=True).get(pk=post.space_id or 0)
    return reverse("spaces:thread", kwargs={"slug": slug, "pk": root_id})
