"""PostgreSQL: accents no longer matter, as on SQLite (Zoe finds Zoë, cafe finds café).

SQLite's FTS5 folds them (`remove_diacritics 2`, migration 0002). PostgreSQL's `english`
configuration keeps them, so a search for "zoe" found nothing written "Zoë". `connective_english`
is `english` with the `unaccent` dictionary (PostgreSQL's contrib extension, trusted since
PostgreSQL 13: the database's owner may create it) in front of the English stemmer for words with
letters beyond ASCII; documents and queries both go through it (backends.CONFIG). Where the
extension cannot be created, it is plain `english` (`make_config`): search works, accents count.

The generated column cannot change its expression in place before PostgreSQL 17: it is dropped
(with its full-text indexes) and added again, which rewrites the documents table and rebuilds the
indexes — minutes at a million documents (docs/admin.md, "Upgrading"). SQLite needs nothing.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

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


def make_config(schema_editor, name: str = "connective_english", extension: str = "unaccent"):
    """Create the configuration `name`; whether it folds accents. Where the extension cannot be
    created (not installed, or a database user who may not), the configuration is plain
    English, search works without folding, and a warning says why."""
    try:
        with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        folded = True
    except DatabaseError as exc:
        logger.warning("Search will not fold accents: %s cannot be created (%s)", extension, exc)
        folded = False
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = english)")
    if folded:
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name}"
            f" ALTER MAPPING FOR hword, hword_part, word WITH {extension}, english_stem"
        )
    return folded


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS connective_english")
    make_config(schema_editor)
    for sql in [*_vector_sql("connective_english"), "ANALYZE search_searchdocument"]:
        schema_editor.execute(sql)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in _vector_sql("english"):
        schema_editor.execute(sql)
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS connective_english")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_drop_document_topics")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
