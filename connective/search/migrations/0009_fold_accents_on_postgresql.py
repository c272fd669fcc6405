"""PostgreSQL: accents no longer matter, as on SQLite (Zoe finds Zoë, cafe finds café).

SQLite's FTS5 folds them (`remove_diacritics 2`, migration 0002). PostgreSQL's `english`
configuration keeps them, so a search for "zoe" found nothing written "Zoë". `connective_english`
is `english` with the `unaccent` dictionary (PostgreSQL's contrib extension, trusted since
PostgreSQL 13: the database's owner may create it) in front of the English stemmer for words with
letters beyond ASCII; documents and queries both go through it (backends.CONFIG).

The generated column cannot change its expression in place before PostgreSQL 17: it is dropped
(with its full-text indexes) and added again, which rewrites the documents table and rebuilds the
indexes — minutes at a million documents (docs/admin.md, "Upgrading"). SQLite needs nothing.
"""

from django.db import migrations

PARTIAL_KINDS = ("resource", "article", "person")  # migration 0005's per-kind indexes


def _vector_sql(config: str) -> list[str]:
    """Drop the generated `vector` column and add it back over `config`, with its indexes."""
    parts = " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in (("title", "A"), ("topic_text", "B"), ("body", "C"))
    )
    statements = [
        "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
        f"ALTER TABLE search_searchdocument ADD COLUMN vector tsvector"
        f" GENERATED ALWAYS AS ({parts}) STORED",
        "CREATE INDEX searchdoc_vector ON search_searchdocument USING gin (vector)",
    ]
    statements += [
        f"CREATE INDEX searchdoc_vector_{kind} ON search_searchdocument"
        f" USING gin (vector) WHERE kind = '{kind}'"
        for kind in PARTIAL_KINDS
    ]
    return statements


FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS connective_english",
    "CREATE TEXT SEARCH CONFIGURATION connective_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION connective_english"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    *_vector_sql("connective_english"),
    "ANALYZE search_searchdocument",
]
BACKWARD = [
    *_vector_sql("english"),
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS connective_english",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0008_drop_document_topics")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
