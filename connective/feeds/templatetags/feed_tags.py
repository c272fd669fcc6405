"""Our feeds out on a page: `{% feed_links … %}` in its <head> (<link rel="alternate">, for feed
readers and browsers) and `{% feed_link … %}` where a reader looks for it (a small visible line).
Both take person=, topic=, space= or course= and offer only feeds that exist (feeds_out)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from connective.feeds.services.feeds_out import ATOM, RSS, OfferedFeed, offered_feeds

register = template.Library()


@register.simple_tag
def feed_links(
    person: Any = None, topic: Any = None, space: Any = None, course: Any = None
) -> SafeString:
    """The feeds a profile, topic, space or course page advertises in its <head>."""
    rows: list[tuple[str, str, str]] = []
    for feed in offered_feeds(person, topic, space, course):
        rows.append((RSS, f"{feed.title} (RSS)", feed.rss_url))
        rows.append((ATOM, f"{feed.title} (Atom)", feed.atom_url))
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        rows,
    ) or mark_safe("")


def _pair(feed: OfferedFeed) -> SafeString:
    """The two links, "RSS · Atom", each naming its feed for a screen reader's list of links."""
    return format_html(
        '<a href="{}" type="{}">RSS<span class="visually-hidden">: {}</span></a>'
        ' · <a href="{}" type="{}">Atom<span class="visually-hidden">: {}</span></a>',
        feed.rss_url,
        RSS,
        feed.title,
        feed.atom_url,
        ATOM,
        feed.title,
    )


@register.simple_tag
def feed_link(
    person: Any = None, topic: Any = None, space: Any = None, course: Any = None
) -> SafeString:
    """A small visible line offering the page's feeds: "Feed of <what>: RSS · Atom"."""
    feeds = offered_feeds(person, topic, space, course)
    if not feeds:
        return mark_safe("")
    if len(feeds) == 1:
        inner = format_html("Feed of {}: {}", feeds[0].what, _pair(feeds[0]))
    else:
        parts = format_html_join("; ", "{}: {}", ((f.what, _pair(f)) for f in feeds))
        inner = format_html("Feeds of {}", parts)
    return format_html('<p class="meta feed-link">{}</p>', inner)
