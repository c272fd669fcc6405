"""Feed items in the search index: one document per item (source "feeditem", kind "web").

A poll stores fifty items at a time, so their documents are written in bulk from the rows the
poll has just inserted, without reading anything again (bulk.insert_docs). Their HTML is our
sanitiser's output (well-formed, attribute values quoted), so its text is its tags removed by
one regular expression rather than a second HTML parse. Anyone may find a feed item: it is
public on the web already and carries nothing of ours (visibility.py checks only that the item
still exists).
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.db import transaction

from connective.feeds.models import FeedItem
from connective.search.models import DocKind, SearchDocument, Source
from connective.search.services import bulk
from connective.search.services.documents import Doc, clean

FEED_ITEM = Source.FEED_ITEM
# A tag of serialised, sanitised HTML (quoted attribute values may hold ">"), and the tags that
# separate words (blocks and breaks, as documents.html_text reads them).
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*>"""
_TAG = re.compile("<" + _ATTRS)
_BLOCK = re.compile(
    r"</?(?:p|br|li|ul|ol|div|h[1-6]|blockquote|pre|table|tr|td|th|hr|img|figure)\b" + _ATTRS,
    re.IGNORECASE,
)
ITEM_FIELDS = ("id", "title", "body_html", "link", "licence", "at", "feed__title", "feed__url")


def item_text(markup: str) -> str:
    """The words of an item's sanitised HTML (blocks and breaks separate words)."""
    if not markup:
        return ""
    text = _TAG.sub("", _BLOCK.sub(" ", markup))
    return clean(html.unescape(text) if "&" in text else text)


def feed_item_doc(item: Any, feed_name: str = "") -> Doc:
    """A feed item's document: its title, its text, its licence; the feed's name and the
    original's site are found too, beside the text (snippets come from the text alone)."""
    return Doc(
        source=FEED_ITEM,
        object_id=item.pk,
        kind=DocKind.WEB,
        title=clean(item.title, 300),
        body=item_text(item.body_html),
        created_at=item.at,
        licence=item.licence,
        about=clean(f"{feed_name} {item.link_domain}", 500),
    )


def index_feed_items(items: list[Any], feed: Any = None, **_: object) -> None:
    """Index items just inserted (they have no document yet), of `feed`: one bulk insert."""
    name = feed.name if feed is not None else ""
    bulk.insert_docs([feed_item_doc(item, name) for item in items])


@transaction.atomic
def reindex_feed_item(item: Any, **_: object) -> None:
    """An item changed: its document follows."""
    SearchDocument.objects.filter(source=FEED_ITEM, object_id=item.pk).delete()
    bulk.insert_docs([feed_item_doc(item, item.feed.name)])


def rebuild_feed_items() -> int:
    """Index every stored feed item (`connective reindex`); returns how many."""
    count = 0
    last = 0
    while True:
        rows = FeedItem.objects.filter(pk__gt=last).select_related("feed").only(*ITEM_FIELDS)
        batch = list(rows.order_by("pk")[: bulk.BATCH])
        if not batch:
            return count
        with transaction.atomic():
            bulk.insert_docs([feed_item_doc(item, item.feed.name) for item in batch])
        count += len(batch)
        last = batch[-1].pk
