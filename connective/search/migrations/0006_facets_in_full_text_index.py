"""Filters inside the full-text index: each document's kind, licence and topics as tokens.

`facets` holds them ("kindresource licenceccby topic7", `documents.facet_text`), so a search
filtered to resources under CC BY asks the full-text index for both the words and the facets and
the two lists of documents are intersected inside it, instead of reading the row of every
document with the words (54,000 rows for a word in 2 % of a million posts) to check its kind.

SQLite: the FTS5 table gains a fourth column, `facets`; searches match the user's words in the
first three only. Adding the field makes Django copy search_searchdocument, which drops the
triggers of migration 0002, so the FTS5 table and its triggers are dropped first and made again
afterwards (the same triggers with the new column), then rebuilt once from the documents.
PostgreSQL: a second generated tsvector, `facet_vector` (the 'simple' configuration: no stemming,
no stopwords), with its own GIN index, which the planner intersects with the text's.

Existing documents get their facets here, in SQL, the same tokens `facet_text` makes.
"""

import importlib

from django.db import migrations, models

OLD = importlib.import_module("connective.search.migrations.0002_full_text_index")

COLUMNS = "title, topic_text, body, facets"
TOPICS_SQLITE = (
    "(SELECT group_concat(token, ' ') FROM (SELECT 'topic' || topic_id AS token"
    " FROM search_searchdocument_topics WHERE searchdocument_id = search_searchdocument.id"
    " ORDER BY topic_id))"
)
TOPICS_POSTGRES = (
    "(SELECT string_agg('topic' || topic_id, ' ' ORDER BY topic_id)"
    " FROM search_searchdocument_topics WHERE searchdocument_id = search_searchdocument.id)"
)
FILL = """UPDATE search_searchdocument SET facets = 'kind' || kind
    || CASE WHEN licence <> '' THEN ' licence' || replace(lower(licence), '-', '') ELSE '' END
    || coalesce(' ' || {topics}, '')"""

FORWARD_SQLITE = [
    FILL.format(topics=TOPICS_SQLITE),
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS},
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title, new.topic_text, new.body, new.facets);
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.topic_text, old.body, old.facets);
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.topic_text, old.body, old.facets);
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title, new.topic_text, new.body, new.facets);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
FORWARD_POSTGRES = [
    FILL.format(topics=TOPICS_POSTGRES),
    """ALTER TABLE search_searchdocument ADD COLUMN facet_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, facets)) STORED""",
    "CREATE INDEX searchdoc_facet_vector ON search_searchdocument USING gin (facet_vector)",
]
BACKWARD_POSTGRES = [
    "DROP INDEX IF EXISTS searchdoc_facet_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS facet_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_partial_vector_indexes")]

    operations = [
        # Before the field: drop the old full-text table and triggers (SQLite) ...
        migrations.RunPython(
            _run({"sqlite": OLD.BACKWARD_SQLITE}),
            _run({"sqlite": OLD.FORWARD_SQLITE}),
            elidable=False,
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Kind, licence and topics as tokens the index filters by.",
            ),
        ),
        # ... and after it, fill the facets, then make the index again with them.
        migrations.RunPython(
            _run({"sqlite": FORWARD_SQLITE, "postgresql": FORWARD_POSTGRES}),
            _run({"sqlite": OLD.BACKWARD_SQLITE, "postgresql": BACKWARD_POSTGRES}),
            elidable=False,
        ),
    ]
