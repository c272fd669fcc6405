"""Times read back from the database are the times written (PostgreSQL: by our faster loader)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from connective.accounts.models import Person
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

EDGES = [
    datetime(2026, 11, 29, 19, 0, 0, 123456, tzinfo=UTC),
    datetime(2026, 11, 29, 19, 0, 0, tzinfo=UTC),  # no fraction: no "." in the text
    datetime(2026, 11, 29, 19, 0, 0, 500000, tzinfo=UTC),  # a fraction PostgreSQL shortens
    datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
]


@pytest.mark.parametrize("moment", EDGES)
def test_a_time_reads_back_as_written(moment):
    person = make_person("timed")
    Person.objects.filter(pk=person.pk).update(created_at=moment)
    read = Person.objects.values_list("created_at", flat=True).get(pk=person.pk)
    assert read == moment
    assert read.tzinfo is UTC


def _pg_only():
    if connection.vendor != "postgresql":
        pytest.skip("the loader is installed on PostgreSQL connections only")


def _read(texts, loader=None):
    """Each text as the database sends it back as a timestamptz, read by the connection's
    loader or by `loader` (registered on a cursor of its own)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        if loader is not None:
            cursor.adapters.register_loader("timestamptz", loader)
        out = []
        for text in texts:
            cursor.execute("SELECT %s::timestamptz", [text])
            out.append(cursor.fetchone()[0])
        return out


def _djangos_loader():
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class DjangoUtc(BaseTzLoader):
        timezone = UTC

    return DjangoUtc


def test_postgresql_connections_read_times_with_our_loader():
    _pg_only()
    from psycopg.pq import Format

    from connective.core.pgtimes import utc_loader

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, Format.TEXT)  # timestamptz
    assert loader is utc_loader()
    texts = [m.isoformat() for m in EDGES]
    assert _read(texts) == _read(texts, _djangos_loader())


@pytest.mark.parametrize("text", ["infinity", "-infinity", "0044-03-15 12:00:00+00 BC"])
def test_what_python_cannot_hold_fails_as_djangos_loader_fails(text):
    _pg_only()
    from psycopg import DataError

    with pytest.raises(DataError) as ours:
        _read([text])
    with pytest.raises(DataError) as djangos:
        _read([text], _djangos_loader())
    assert str(ours.value) == str(djangos.value)


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_any_time_reads_as_djangos_loader_reads_it(moment):
    _pg_only()
    texts = [moment.replace(tzinfo=UTC).isoformat()]
    assert _read(texts) == _read(texts, _djangos_loader())
