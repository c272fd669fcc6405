"""A feed item becomes a Post when someone acts on it (marks it useful, replies to it).

Until then the item is one row the stream and search read; the post, once made, is what
"useful", replies and threads work on, exactly as for any resource. It is authored by the feed's
source (a Person of actor type "Feed", no account, never delivered) and unlisted, so it joins
no listing of ours; the stream keeps showing the item, now as that post's card.
"""

from __future__ import annotations

from html import unescape
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Kind, Post, State, Visibility
from connective.core.html import plain_text
from connective.feeds.models import Feed, FeedItem

BODY_LIMIT = 5000


def post_for_item(item: FeedItem) -> Post:
    """The item's post, made now if nobody acted on the item before (safe to call twice at
    once: the item row is locked while the post is made)."""
    if item.post_id:
        return item.post  # type: ignore[return-value]
    with transaction.atomic():
        locked = FeedItem.objects.select_for_update().select_related("feed").get(pk=item.pk)
        if locked.post_id is None:
            source = source_for(locked.feed)
            post = Post.objects.create(
                author=source,
                kind=Kind.RESOURCE,
                visibility=Visibility.UNLISTED,
                state=State.PUBLISHED,
                uri=f"{locked.feed.url}#item-{locked.key_hash[:40]}",
                created_at=locked.at,
                licence=locked.licence,
                **_fields(locked),
            )
            FeedItem.objects.filter(pk=locked.pk).update(post=post)
            locked.post = post
    item.post = locked.post
    return locked.post  # type: ignore[return-value]


def source_for(feed: Feed) -> Person:
    """The Person that authors this feed's items (created on first use)."""
    if feed.source_id:
        return feed.source  # type: ignore[return-value]
    host = (urlsplit(feed.url).hostname or "feed")[:253]
    try:
        with transaction.atomic():  # a new feed's source is new: insert without looking first
            person = Person.objects.create(
                uri=feed.url,
                handle=f"feed_{feed.pk}",
                domain=host,
                url=feed.site_url or feed.url,
                display_name=(feed.title or host)[:100],
                actor_type="Feed",
            )
    except IntegrityError:  # made by an earlier poll that died before naming it the source
        person = Person.objects.get(uri=feed.url)
    Feed.objects.filter(pk=feed.pk).update(source=person)
    feed.source = person
    return person


def rename_source(feed: Feed) -> None:
    """Keep the source's name and page in step with the feed's title and site."""
    if feed.source_id and feed.title:
        Person.objects.filter(pk=feed.source_id).update(
            display_name=feed.title[:100], url=feed.site_url or feed.url
        )


def refresh_post(item: FeedItem) -> None:
    """The item changed at its source: the post made of it shows the new version."""
    if item.post_id is not None:
        Post.objects.filter(pk=item.post_id).update(**_fields(item), edited_at=timezone.now())


def _fields(item: FeedItem) -> dict[str, str]:
    text = unescape(plain_text(item.body_html))  # the sanitiser's text is HTML-escaped
    return {
        "title": item.title[:200],
        "body": text[:BODY_LIMIT],
        "body_html": item.body_html,
        "link_url": item.link[:2000],
        "url": item.link[:500],
    }
