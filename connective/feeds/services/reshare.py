"""Re-share a feed item as my own resource, keeping the original link and licence."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.content.services.posts import PostDraft, create_post
from connective.feeds.models import FeedItem


def item_of_post(viewer: Person, pk: int) -> FeedItem | None:
    """The feed item a post was made of, if the viewer may see that post."""
    if not Post.objects.visible_to(viewer).filter(pk=pk).exists():
        return None
    return FeedItem.objects.select_related("feed").filter(post_id=pk).first()


def reshare_initial(item: FeedItem) -> dict[str, str]:
    """What the re-share form starts with: the item's title, its licence or all rights reserved."""
    return {"title": item.title, "licence": item.licence or "arr"}


def reshare(
    viewer: Person, item: FeedItem, *, title: str, body: str, licence: str, topics: list[str]
) -> Post:
    """My resource pointing at the item's original link (PostError if it cannot be stored)."""
    draft = PostDraft(
        kind=Kind.RESOURCE,
        title=title,
        body=body,
        link_url=item.link,
        licence=licence,
        topics=topics,
    )
    return create_post(viewer, draft)
