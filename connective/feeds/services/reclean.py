"""Items stored before issue 6 cleaned as new ones are: their relative addresses resolved against
the item's link (else the feed's address), plain-http images dropped, the image attributes set.

Stored HTML has been through the sanitiser already, which dropped images' declared sizes, so
tracking pixels in old items cannot be told apart any more; new polls drop them (content.py).
Only body_html changes (its text, which search indexes, stays the same), in batches.
"""

from __future__ import annotations

from connective.content.models import Post
from connective.feeds.models import FeedItem
from connective.feeds.services.content import clean_item_html

BATCH = 500


def reclean_stored_items(batch: int = BATCH) -> int:
    """Re-clean every stored item's HTML (and the post made of it, if any); how many changed."""
    changed = 0
    last = 0
    while True:
        rows = list(
            FeedItem.objects.filter(pk__gt=last)
            .select_related("feed")
            .only("pk", "link", "body_html", "post_id", "feed__url")
            .order_by("pk")[:batch]
        )
        if not rows:
            return changed
        last = rows[-1].pk
        fixed = []
        for row in rows:
            clean = clean_item_html(row.body_html, row.link or row.feed.url)
            if clean != row.body_html:
                row.body_html = clean
                fixed.append(row)
        FeedItem.objects.bulk_update(fixed, ["body_html"])
        for row in fixed:
            if row.post_id:
                Post.objects.filter(pk=row.post_id).update(body_html=row.body_html)
        changed += len(fixed)
