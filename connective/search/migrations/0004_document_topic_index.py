"""Documents on a topic, newest first, straight from one index.

The expert finder reads the newest posts on a topic through the documents' topic links; the
table Django made for the many-to-many field has its (document, topic) unique index and a
topic index whose order is the row id, so SQLite and PostgreSQL sorted every link of a popular
topic (100,000 rows at benchmark scale) to find the newest few thousand. With (topic, document)
they read those few thousand in order and stop.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX searchdoc_topic_doc ON search_searchdocument_topics (topic_id, searchdocument_id)"
)
BACKWARD = "DROP INDEX IF EXISTS searchdoc_topic_doc"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_drop_kind_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
