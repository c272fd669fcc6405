"""Feed items hold what they show (title, sanitised HTML, licence, their place in streams), so a
poll stores one row per item and no Post; the post an item had stays linked as the post made of
it (now optional, made when someone acts on an item)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_posts(apps, schema_editor):
    """Items stored before this change take their content and time from their posts."""
    FeedItem = apps.get_model("feeds", "FeedItem")
    Post = apps.get_model("content", "Post")
    pending = FeedItem.objects.filter(at__isnull=True).exclude(post=None)
    while True:
        batch = list(pending.order_by("pk")[:500])
        if not batch:
            break
        posts = Post.objects.in_bulk([item.post_id for item in batch])
        for item in batch:
            post = posts[item.post_id]
            item.title, item.body_html, item.licence = post.title, post.body_html, post.licence
            item.at = post.created_at
        FeedItem.objects.bulk_update(batch, ["title", "body_html", "licence", "at"])
    FeedItem.objects.filter(at__isnull=True).update(at=models.F("fetched_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_boosts_from_federation"),
        ("feeds", "0001_feeds_subscriptions_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="feeditem",
            name="title",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="feeditem",
            name="body_html",
            field=models.TextField(blank=True, help_text="Sanitised summary or content."),
        ),
        migrations.AddField(
            model_name="feeditem",
            name="licence",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="feeditem",
            name="at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(copy_from_posts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="feeditem",
            name="at",
            field=models.DateTimeField(
                help_text="Where it sits in streams: published, else first seen."
            ),
        ),
        migrations.AlterField(
            model_name="feeditem",
            name="post",
            field=models.OneToOneField(
                blank=True,
                help_text="The post made of it when someone acted on it (useful, a reply).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="feed_item",
                to="content.post",
            ),
        ),
        migrations.AlterField(
            model_name="feeditem",
            name="feed",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="feeds.feed",
            ),
        ),
        migrations.AlterModelOptions(name="feeditem", options={"ordering": ["-at", "-id"]}),
        migrations.AddIndex(
            model_name="feeditem",
            index=models.Index(fields=["at", "id"], name="feeditem_at"),
        ),
    ]
