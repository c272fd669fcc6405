"""Re-share a feed item as my own resource, keeping the original link and licence."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.content.services.posts import PostDraft, create_post
from connective.feeds.models import FeedItem


def feed_item_post(viewer: Person, pk: int) -> Post | None:
    """The item's Post if it is a feed item the viewer may see."""
    post = Post.objects.visible_to(viewer).filter(pk=pk).select_related("author").first()
    if post is None or not FeedItem.objects.filter(post_id=post.pk).exists():
        return None
    return post


def reshare_initial(post: Post) -> dict[str, str]:
    """What the re-share form starts with: the item's title, its licence or all rights reserved."""
    return {"title": post.title, "licence": post.licence or "arr"}


def reshare(
    viewer: Person, post: Post, *, title: str, body: str, licence: str, topics: list[str]
) -> Post:
    """My resource pointing at the item's original link (PostError if it cannot be stored)."""
    draft = PostDraft(
        kind=Kind.RESOURCE,
        title=title,
        body=body,
        link_url=post.link_url,
        licence=licence,
        topics=topics,
    )
    return create_post(viewer, draft)
