"""Documents lose their topic links (the `search_searchdocument_topics` table): nothing read them.

The expert finder reads the posts' own topic table and a topic filter asks the full-text index
through the `facets` column (0006), so the links were only written. Removing a many-to-many
field drops its table alone (SQLite does not remake `search_searchdocument`, so the full-text
triggers stay); 0004's index goes first, by name, and comes back if this is undone. Undone, the
table is empty: `connective reindex` fills it again.
"""

from django.db import migrations

DROP_INDEX = "DROP INDEX IF EXISTS searchdoc_topic_doc"
MAKE_INDEX = (
    "CREATE INDEX searchdoc_topic_doc ON search_searchdocument_topics (topic_id, searchdocument_id)"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_feed_item_documents")]

    operations = [
        migrations.RunSQL(DROP_INDEX, MAKE_INDEX, elidable=False),
        migrations.RemoveField(model_name="searchdocument", name="topics"),
    ]
