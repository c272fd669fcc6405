"""Feed items in the search index: one document per item (source "feeditem", kind "web").

A poll stores fifty items at a time, so their documents are written in bulk from the rows the
poll has just inserted, without reading anything again, and their text is taken with nh3 (the
sanitiser's own parser, in Rust) rather than Django's pure-Python `strip_tags`. Anyone may find
a feed item: it is public on the web already and carries nothing of ours.
"""

from __future__ import annotations

import html
from typing import Any

import nh3

from connective.search.models import DocKind, SearchDocument
from connective.search.services.documents import _BREAKS, Doc, clean

FEED_ITEM = "feeditem"


def item_text(markup: str) -> str:
    """The words of an item's sanitised HTML (blocks and breaks separate words)."""
    if not markup:
        return ""
    return clean(html.unescape(nh3.clean(_BREAKS.sub(" <", markup), tags=set())))


def feed_item_doc(item: Any) -> Doc:
    """A feed item's document: its title, its text, where it lives, its licence."""
    domain = item.link_domain
    body = item_text(item.body_html)
    return Doc(
        source=FEED_ITEM,
        object_id=item.pk,
        kind=DocKind.WEB,
        title=clean(item.title, 300),
        body=f"{body} {domain}" if domain else body,
        created_at=item.at,
        licence=item.licence,
    )


def _row(doc: Doc) -> SearchDocument:
    return SearchDocument(
        source=doc.source,
        object_id=doc.object_id,
        kind=doc.kind,
        title=doc.title,
        topic_text="",
        body=doc.body,
        licence=doc.licence,
        created_at=doc.created_at,
    )


def index_feed_items(items: list[Any]) -> None:
    """Index items just inserted (they have no document yet): one bulk insert."""
    SearchDocument.objects.bulk_create([_row(feed_item_doc(item)) for item in items])


def reindex_feed_item(item: Any) -> None:
    """An item changed: its document follows."""
    SearchDocument.objects.filter(source=FEED_ITEM, object_id=item.pk).delete()
    SearchDocument.objects.bulk_create([_row(feed_item_doc(item))])


def remove_feed_items(ids: list[int]) -> None:
    """Items deleted (their feed went away): their documents go too."""
    SearchDocument.objects.filter(source=FEED_ITEM, object_id__in=ids).delete()
