"""Feeds test helpers: the corpus of feeds we wrote, and the loopback trap server."""

from pathlib import Path

from tests.trap import bare_trap, trap  # noqa: F401

CORPUS = Path(__file__).parent / "corpus"

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


def corpus(name: str) -> bytes:
    """The bytes of one of our test feeds."""
    return (CORPUS / name).read_bytes()


def rss(
    items: list[tuple[str, str]], title: str = "Generated", base: str = "https://gen.example.org"
) -> bytes:
    """An RSS 2.0 feed with these (guid, title) items, newest first."""
    body = "".join(
        f"<item><title>{t}</title><link>{base}/{g}</link><guid>{g}</guid>"
        f"<description>About {t}</description></item>"
        for g, t in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{base}/</link><description>d</description>{body}</channel></rss>"
    ).encode()


def feed_item(title: str, body: str = "<p>About it.</p>", licence: str = ""):
    """One stored feed item (as a poll stores and announces it), of a feed made for it."""
    from django.utils import timezone

    from connective.core import events
    from connective.feeds.models import Feed, FeedItem

    feed, _ = Feed.objects.get_or_create(
        url="https://blog.example.org/feed.xml",
        defaults={"title": "A blog", "next_poll_at": timezone.now()},
    )
    n = FeedItem.objects.count()
    item = FeedItem.objects.create(
        feed=feed,
        key_hash=f"key{n}",
        content_hash=f"content{n}",
        link=f"https://blog.example.org/{n}",
        title=title,
        body_html=body,
        licence=licence,
        at=timezone.now(),
    )
    events.announce(events.FEED_ITEMS_STORED, items=[item], feed=feed)
    return item
