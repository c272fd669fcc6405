"""PostgreSQL: a full-text index per narrow kind, so a search filtered to resources, articles or
people reads that kind's matches only.

Without them a search for a word in 2 % of documents, filtered to resources (10 % of documents),
either walked the newest documents checking both (500,000 rows for 1,000 matches) or read every
document with the word from the heap and dropped nine in ten. SQLite needs nothing here (its
full-text table drives the query and the kind is checked per match).
"""

from django.db import migrations

KINDS = ("resource", "article", "person")


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS searchdoc_vector_{kind} ON search_searchdocument"
            f" USING gin (vector) WHERE kind = '{kind}'"
        )


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS searchdoc_vector_{kind}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_document_topic_index")]

    operations = [migrations.RunPython(_forward, _backward, elidable=False)]
