"""PostgreSQL's search configuration (migration search/0009): accents folded by `unaccent`, and
plain English where the extension cannot be created, so an install without it still searches."""

import importlib

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's configuration"),
]
migration = importlib.import_module("connective.search.migrations.0009_fold_accents_on_postgresql")


def _vector(config: str, text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector(%s::regconfig, %s)::text", [config, text])
        return str(cursor.fetchone()[0])


def test_the_configuration_folds_accents():
    assert _vector("connective_english", "Zoë's cafés") == "'cafe':3 'zoe':1"


def test_without_the_extension_the_configuration_is_plain_english(caplog):
    with connection.schema_editor() as editor:
        folded = migration.make_config(editor, "connective_plain", "no_such_extension")
        assert not folded
    assert "Search will not fold accents" in caplog.text
    assert _vector("connective_plain", "Zoë's cafés") == _vector("english", "Zoë's cafés")
    with connection.schema_editor() as editor:
        assert migration.make_config(editor, "connective_folded", "unaccent")
    assert _vector("connective_folded", "Zoë") == "'zoe':1"
