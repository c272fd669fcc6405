"""Store a feed's items as Posts by the feed's source, de-duplicated by id, link and content.

Each item is a resource Post authored by the feed's source Person (actor_type "Feed", no user),
visible "unlisted": anyone may open it, mark it useful or reply, but it is in no public
listing. A poll's new items are inserted in bulk and announced once (POSTS_FETCHED: news for
search and courses, never delivered); should another poll have stored some first (a unique key
refuses the batch), they are stored one at a time, skipping those. The poll's transaction
commits them with the feed's new schedule.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import unescape
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Kind, Post, State, Visibility
from connective.core import events
from connective.core.html import plain_text
from connective.feeds.models import Feed, FeedItem, Subscription
from connective.feeds.services.parse import ParsedFeed, ParsedItem
from connective.topics.normalize import hashtags

log = logging.getLogger(__name__)
BODY_LIMIT = 5000


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


def store_items(feed: Feed, parsed: ParsedFeed) -> tuple[int, int]:
    """Add new items and update changed ones; (new, updated).

    One query finds what is already stored; the new items are inserted in bulk (posts, then
    their FeedItem rows) and announced once (events.POSTS_FETCHED) for the apps that index or
    recognise them.
    """
    source = source_for(feed)
    items = _unique(parsed.items)
    known = _known(feed, items)
    fresh: list[ParsedItem] = []
    updated = 0
    for item in items:
        match = _match(known, item)
        if match is None:
            fresh.append(item)
        elif match.content_hash != item.content_hash and _update(match, item):
            updated += 1
    stored = _insert(feed, source, fresh, parsed.licence) if fresh else []
    if stored:
        events.announce(events.POSTS_FETCHED, posts=[post for _item, post in stored])
        own_blogs = Subscription.objects.filter(feed=feed, own_blog=True).select_related("person")
        for sub in own_blogs:
            for item, _post in stored:
                _record_evidence(sub.person, item)
    return len(stored), updated


def _unique(items: list[ParsedItem]) -> list[ParsedItem]:
    """Oldest first (so ids follow the feed's order), each id once (its first, newest copy)."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.key_hash not in seen:
            seen.add(item.key_hash)
            unique.append(item)
    return unique[::-1]


def _insert(
    feed: Feed, source: Person, items: list[ParsedItem], licence: str
) -> list[tuple[ParsedItem, Post]]:
    """Store new items in bulk; if another poll stored some of them meanwhile (a unique key
    refuses the batch), one at a time, skipping those."""
    try:
        with transaction.atomic():
            posts = [_new_post(feed, source, item, licence) for item in items]
            Post.objects.bulk_create(posts)
            FeedItem.objects.bulk_create(
                [_new_row(feed, post, item) for item, post in zip(items, posts, strict=True)]
            )
        return list(zip(items, posts, strict=True))
    except IntegrityError:
        pass
    stored = []
    for item in items:
        try:
            with transaction.atomic():
                post = _new_post(feed, source, item, licence)
                post.save(force_insert=True)
                _new_row(feed, post, item).save(force_insert=True)
        except IntegrityError:
            continue
        stored.append((item, post))
    return stored


def _known(feed: Feed, items: list[ParsedItem]) -> dict[str, FeedItem]:
    """This feed's stored items that share a key, link or content with these, by each hash."""
    if not items or not FeedItem.objects.filter(feed=feed).exists():
        return {}  # a first poll: nothing to compare with (and no long IN lists to build)
    keys = {i.key_hash for i in items} | {i.content_hash for i in items}
    links = {i.link_hash for i in items if i.link_hash}
    rows = (
        FeedItem.objects.filter(feed=feed).filter(key_hash__in=keys)
        | FeedItem.objects.filter(feed=feed, link_hash__in=links)
        | FeedItem.objects.filter(feed=feed, content_hash__in=keys)
    )
    known: dict[str, FeedItem] = {}
    for row in rows:  # the post is read only for an item that changed
        for value in (row.content_hash, row.link_hash, row.key_hash):
            if value:
                known[value] = row
    return known


def _match(known: dict[str, FeedItem], item: ParsedItem) -> FeedItem | None:
    """The stored item this one is: same id, else same link, else same content."""
    for value in (item.key_hash, item.link_hash, item.content_hash):
        if value and value in known:
            return known[value]
    return None


def _created_at(item: ParsedItem) -> datetime:
    return item.published_at or timezone.now()


def _post_fields(item: ParsedItem) -> dict:
    body_html = item.clean_html
    text = unescape(plain_text(body_html))
    title = item.title or (text[:80] if text else "") or urlsplit(item.link).hostname or "Untitled"
    return {
        "title": title[:200],
        "body": text[:BODY_LIMIT],
        "body_html": body_html,
        "link_url": item.link[:2000],
        "url": item.link[:500],
    }


def _new_post(feed: Feed, source: Person, item: ParsedItem, licence: str) -> Post:
    return Post(
        author=source,
        kind=Kind.RESOURCE,
        licence=item.licence or licence,
        visibility=Visibility.UNLISTED,
        state=State.PUBLISHED,
        uri=f"{feed.url}#item-{item.key_hash[:40]}",
        created_at=_created_at(item),
        **_post_fields(item),
    )


def _new_row(feed: Feed, post: Post, item: ParsedItem) -> FeedItem:
    return FeedItem(
        feed=feed,
        post=post,
        key_hash=item.key_hash,
        link_hash=item.link_hash,
        content_hash=item.content_hash,
        guid=item.guid,
        link=item.link,
        categories=item.categories,
        published_at=item.published_at,
    )


def _update(stored: FeedItem, item: ParsedItem) -> bool:
    """Bring a stored item up to date with its new version."""
    with transaction.atomic():
        post = stored.post
        for name, value in _post_fields(item).items():
            setattr(post, name, value)
        post.edited_at = timezone.now()
        post.save(update_fields=["title", "body", "body_html", "link_url", "url", "edited_at"])
        stored.content_hash = item.content_hash
        stored.link, stored.link_hash = item.link, item.link_hash
        stored.categories = item.categories
        stored.save(update_fields=["content_hash", "link", "link_hash", "categories", "updated_at"])
        events.announce(events.POST_EDITED, post=post)
    return True


def item_tags(item: ParsedItem) -> list[str]:
    """The categories and hashtags an item carries (what course activities look for)."""
    text = f"{item.title} {plain_text(item.clean_html)}"
    return list(dict.fromkeys([*item.categories, *hashtags(text)]))


def record_existing_evidence(sub: Subscription, limit: int = 200) -> None:
    """A blog just registered as mine: what it already holds counts too (tagged posts only)."""
    stored = FeedItem.objects.filter(feed_id=sub.feed_id).select_related("post")[:limit]
    for row in stored:
        post = row.post
        item = ParsedItem(
            guid=row.guid,
            link=row.link,
            title=post.title,
            summary_html=post.body_html,
            categories=list(row.categories),
            published_at=row.published_at,
        )
        _record_evidence(sub.person, item)


def _record_evidence(learner: Person, item: ParsedItem) -> None:
    """A new post on the learner's own blog counts for the activities whose tag it carries."""
    from connective.courses.services.evidence import record_outside_evidence

    if not item.link:
        return
    record_outside_evidence(
        learner,
        tags=item_tags(item),
        url=item.link,
        title=item.title,
        published_at=item.published_at or timezone.now(),
    )
