"""The full-text index beside search_searchdocument, in each database's own way.

SQLite: an FTS5 external-content table (`search_fts`) over the documents' title, topic_text and body,
kept in step by triggers, with the porter stemmer so "learning" finds "learn". PostgreSQL: a generated
tsvector column (`vector`, weighted title A, topics B, body C, English configuration) with a GIN index.
Neither is a model field, so the ORM never writes them; `connective.search.services.backends` reads them.

A later migration that makes Django rebuild search_searchdocument on SQLite (most ALTER TABLEs do)
drops the triggers with the old table: it must run FORWARD_SQLITE's triggers again.
"""

from django.db import migrations

FTS_COLUMNS = "title, topic_text, body"
FORWARD_SQLITE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS},
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.topic_text, new.body);
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.topic_text, old.body);
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.topic_text, old.body);
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.topic_text, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
BACKWARD_SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
FORWARD_POSTGRES = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(topic_text, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX searchdoc_vector ON search_searchdocument USING gin (vector)",
]
BACKWARD_POSTGRES = [
    "DROP INDEX IF EXISTS searchdoc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": FORWARD_SQLITE, "postgresql": FORWARD_POSTGRES}),
            _run({"sqlite": BACKWARD_SQLITE, "postgresql": BACKWARD_POSTGRES}),
            elidable=False,
        ),
    ]
