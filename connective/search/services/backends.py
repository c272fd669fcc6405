"""The two full-text backends behind one interface, chosen by the database in use.

SQLite: FTS5 (`search_fts`, created in migration 0002) ranked by bm25 with the title weighted
above topics above body. PostgreSQL: the generated `vector` column, plain and phrase queries built
from the parsed words (never the raw text), ranked by ts_rank, highlighted by ts_headline. Both
only ever receive `Terms` (letters and digits), always as parameters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from connective.search.models import SearchDocument
from connective.search.services.documents import MARK_CLOSE, MARK_OPEN
from connective.search.services.terms import Terms

CONFIG = "english"  # PostgreSQL text search configuration; SQLite uses the porter stemmer to match
SNIPPET_WORDS = 28
Cursor = tuple[float, datetime, int]  # the last row of a page: score, created_at, id


class Backend(Protocol):
    """What the query service needs from a full-text backend."""

    def match(self, qs: QuerySet[SearchDocument], terms: Terms) -> QuerySet[SearchDocument]:
        """Only documents matching every term."""
        ...

    def ranked(
        self, qs: QuerySet[SearchDocument], terms: Terms, after: Cursor | None
    ) -> QuerySet[SearchDocument]:
        """Matches in `qs` with a `score` (higher is more relevant), best first, newer first among
        equals, starting after `after` (score, created_at, id) when given."""
        ...

    def highlights(self, ids: list[int], terms: Terms) -> dict[int, tuple[str, str]]:
        """Per document id: its title and a body snippet, matched words between the marks."""
        ...


class SQLiteBackend:
    """FTS5 with bm25; the user's words reach MATCH only as quoted strings, as a parameter."""

    WEIGHTS = "10.0, 4.0, 1.0"  # title, topic_text, body

    def match(self, qs: QuerySet[SearchDocument], terms: Terms) -> QuerySet[SearchDocument]:
        """Documents whose rowid the FTS5 table returns: the match list is built once and drives
        the query by primary key (SearchDocument has no other index SQLite could prefer)."""
        hits = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [terms.fts5()])
        return qs.filter(pk__in=hits)

    def ranked(
        self, qs: QuerySet[SearchDocument], terms: Terms, after: Cursor | None
    ) -> QuerySet[SearchDocument]:
        """A join with the FTS5 table, so bm25 (lower is better: the score is its negation) is
        worked out once per match in one FTS5 scan; a correlated subquery per row re-read the
        index statistics for every row."""
        table = SearchDocument._meta.db_table
        score = f"(-bm25(search_fts, {self.WEIGHTS}))"
        where = [f'search_fts.rowid = "{table}"."id"', "search_fts MATCH %s"]
        params: list[Any] = [terms.fts5()]
        if after is not None:
            value, created_at, pk = after
            stamp = connection.ops.adapt_datetimefield_value(created_at)
            where.append(
                f'({score} < %s OR ({score} = %s AND ("{table}"."created_at" < %s'
                f' OR ("{table}"."created_at" = %s AND "{table}"."id" < %s))))'
            )
            params += [value, value, stamp, stamp, pk]
        return qs.extra(  # noqa: S610 - fixed SQL; the user's terms are a parameter
            select={"score": score}, tables=["search_fts"], where=where, params=params
        ).order_by("-score", "-created_at", "-id")

    def highlights(self, ids: list[int], terms: Terms) -> dict[int, tuple[str, str]]:
        """FTS5 highlight() of the title and snippet() of the body."""
        if not ids:
            return {}
        marks = [MARK_OPEN, MARK_CLOSE]
        sql = (
            "SELECT rowid, highlight(search_fts, 0, %s, %s),"
            f" snippet(search_fts, 2, %s, %s, '…', {SNIPPET_WORDS})"
            " FROM search_fts WHERE search_fts MATCH %s"
            f" AND rowid IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*marks, *marks, terms.fts5(), *ids])
            return {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}


class PostgresBackend:
    """The generated tsvector column with Django's full-text expressions (no contrib app needed)."""

    def _query(self, terms: Terms) -> Any:
        from django.contrib.postgres.search import SearchQuery

        query = None
        parts = [(terms.plain(), "plain")] if terms.words else []
        parts += [(text, "phrase") for text in terms.phrase_texts()]
        for text, search_type in parts:
            part = SearchQuery(text, search_type=search_type, config=CONFIG)
            query = part if query is None else query & part
        return query

    def _vector(self) -> RawSQL:
        from django.contrib.postgres.search import SearchVectorField

        table = SearchDocument._meta.db_table
        return RawSQL(f'"{table}"."vector"', [], output_field=SearchVectorField())

    def match(self, qs: QuerySet[SearchDocument], terms: Terms) -> QuerySet[SearchDocument]:
        """Documents whose vector matches (`vector @@ query`, served by the GIN index)."""
        return qs.alias(search_vector=self._vector()).filter(search_vector=self._query(terms))

    def ranked(
        self, qs: QuerySet[SearchDocument], terms: Terms, after: Cursor | None
    ) -> QuerySet[SearchDocument]:
        """ts_rank over the weighted vector, as a double: a real read back as text loses digits,
        and a cursor must compare equal to the score it came from."""
        from django.contrib.postgres.search import SearchRank

        rank = SearchRank(self._vector(), self._query(terms))
        ranked = self.match(qs, terms).annotate(score=Cast(rank, FloatField()))
        if after is not None:
            value, created_at, pk = after
            ranked = ranked.filter(
                Q(score__lt=value)
                | Q(score=value, created_at__lt=created_at)
                | Q(score=value, created_at=created_at, pk__lt=pk)
            )
        return ranked.order_by("-score", "-created_at", "-id")

    def highlights(self, ids: list[int], terms: Terms) -> dict[int, tuple[str, str]]:
        """ts_headline of the title (every match) and of the body (a short fragment or two)."""
        from django.contrib.postgres.search import SearchHeadline

        if not ids:
            return {}
        query = self._query(terms)
        rows = SearchDocument.objects.filter(pk__in=ids).annotate(
            title_hl=SearchHeadline(
                F("title"),
                query,
                config=CONFIG,
                start_sel=MARK_OPEN,
                stop_sel=MARK_CLOSE,
                highlight_all=True,
            ),
            body_hl=SearchHeadline(
                F("body"),
                query,
                config=CONFIG,
                start_sel=MARK_OPEN,
                stop_sel=MARK_CLOSE,
                max_words=SNIPPET_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        return {
            pk: (t or "", b or "") for pk, t, b in rows.values_list("pk", "title_hl", "body_hl")
        }


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
