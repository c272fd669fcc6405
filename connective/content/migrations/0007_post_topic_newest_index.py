"""A topic's newest posts straight from one index.

The expert finder reads the newest posts on a topic (evidence.py, `_recent_posts`); the table
Django made for the many-to-many field has its (post, topic) unique index and a topic index
ordered by the link's row id, so the newest few thousand links of a popular topic (80,000 at
benchmark scale) came through the search documents' topic links and a document each. With
(topic, post) they are read in order from the index alone and the walk stops where it should.
"""

from django.db import migrations

FORWARD = "CREATE INDEX post_topic_newest ON content_post_topics (topic_id, post_id)"
BACKWARD = "DROP INDEX IF EXISTS post_topic_newest"


class Migration(migrations.Migration):
    dependencies = [("content", "0006_boosts_from_federation")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
