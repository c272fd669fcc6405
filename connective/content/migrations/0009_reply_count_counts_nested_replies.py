"""A post's reply_count now counts every reply below it, not only direct ones: recount them all.

A reply counts as content.services.posts._counted says (public or unlisted, not hidden), and only
while published and not deleted (publishing adds it, deleting takes it away). Going back recounts
direct replies only, as before.
"""

from collections import Counter

from django.db import migrations

COUNTED = {"public", "unlisted"}
BATCH = 500


def _recount(apps, schema_editor, nested: bool) -> None:
    Post = apps.get_model("content", "Post")
    replies = Post.objects.filter(in_reply_to__isnull=False)
    parent_of = dict(replies.values_list("pk", "in_reply_to_id").iterator())
    counted = replies.filter(
        visibility__in=COUNTED,
        hidden_at__isnull=True,
        deleted_at__isnull=True,
        state="published",
    ).values_list("pk", flat=True)
    totals: Counter[int] = Counter()
    for pk in counted.iterator():
        parent, seen = parent_of.get(pk), {pk}
        while parent is not None and parent not in seen:
            totals[parent] += 1
            if not nested:
                break
            seen.add(parent)
            parent = parent_of.get(parent)
    Post.objects.filter(reply_count__gt=0).update(reply_count=0)
    by_total: dict[int, list[int]] = {}
    for pk, total in totals.items():
        by_total.setdefault(total, []).append(pk)
    for total, pks in by_total.items():  # one UPDATE per total and batch, not one per post
        for start in range(0, len(pks), BATCH):
            Post.objects.filter(pk__in=pks[start : start + BATCH]).update(reply_count=total)


def count_nested(apps, schema_editor) -> None:
    _recount(apps, schema_editor, nested=True)


def count_direct(apps, schema_editor) -> None:
    _recount(apps, schema_editor, nested=False)


class Migration(migrations.Migration):
    dependencies = [("content", "0008_post_author_index_holds_id")]

    operations = [migrations.RunPython(count_nested, count_direct, elidable=True)]
