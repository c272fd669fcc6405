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
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from connective.core.idlist import IdArray
from connective.search.models import SearchDocument
from connective.search.services.documents import MARK_CLOSE, MARK_OPEN, facet_token
from connective.search.services.terms import Terms

# PostgreSQL's text search configuration: English with accents folded (migration 0009), as
# SQLite's porter stemmer with `remove_diacritics` matches.
CONFIG = "connective_english"
SNIPPET_WORDS = 28
STOPWORDS = frozenset(
    "a an and are as at be but by for from had has have he her his i if in into is it its me my"
    " no not of on or our she so that the their them then there these they this to was we were"
    " what when where which who will with you your".split()
)


Row = tuple[int, str, datetime]  # a candidate: document id, kind, created_at
Facets = tuple[tuple[str, str], ...]  # (name, value): "kind", "licence", "topic"; all required


class Backend(Protocol):
    """What the query service needs from a full-text backend."""

    def candidates(
        self,
        qs: QuerySet[SearchDocument],
        terms: Terms,
        limit: int,
        facets: Facets = (),
        before: int | None = None,
    ) -> list[Row]:
        """Up to `limit` documents of `qs` matching every term and carrying every facet token,
        the most recently indexed first (the full-text index's own order: it stops at `limit`
        however common the words); only those indexed before the document `before`, if given."""
        ...

    def scores(self, ids: list[int], terms: Terms, facets: Facets = ()) -> dict[int, float]:
        """The relevance of each of `ids` (higher is more relevant); `facets` are filters every
        one of `ids` passes (the filters they were found with), so the index may use them."""
        ...

    def highlights(self, ids: list[int], terms: Terms) -> dict[int, tuple[str, str]]:
        """Per document id: its title and a body snippet, matched words between the marks."""
        ...


class SQLiteBackend:
    """FTS5 with bm25; the user's words reach MATCH only as quoted strings, as a parameter."""

    WEIGHTS = "10.0, 4.0, 1.0, 0.0"  # title, topic_text, body, facets

    @staticmethod
    def match(terms: Terms, facets: Facets = (), *, found: bool = True) -> str:
        """The MATCH expression: the words in the text columns only (a facet token is never a
        word someone found), and each facet token in the facets column.

        `found=False` is for documents found already (scoring, highlighting): the words are
        looked for in every column, which FTS5 does without reading which column each
        occurrence is in (bm25 counts every document holding each word: 19 → 10 ms for three
        common words). A word is a facet token only when someone typed one, and the facets
        column weighs nothing in bm25 and is never highlighted.
        """
        text = f"{{title topic_text body}} : ({terms.fts5()})" if found else terms.fts5()
        if not facets:
            return text
        tokens = " ".join(f'"{facet_token(name, value)}"' for name, value in facets)
        return f"{text} AND facets : ({tokens})"

    def candidates(
        self,
        qs: QuerySet[SearchDocument],
        terms: Terms,
        limit: int,
        facets: Facets = (),
        before: int | None = None,
    ) -> list[Row]:
        """A join driven by the FTS5 table, walked by rowid descending: FTS5 reads its doclists
        backwards, intersecting the words' and the facets' lists, and stops at `limit`
        (ordering by the document's id sorted every match). `before` bounds the rowid, which
        FTS5 takes as where to start reading."""
        table = SearchDocument._meta.db_table
        where = [f'search_fts.rowid = "{table}"."id"', "search_fts MATCH %s"]
        params: list[Any] = [self.match(terms, facets)]
        if before is not None:
            where.append("search_fts.rowid < %s")
            params.append(before)
        matched = qs.extra(  # noqa: S610 - fixed SQL; the user's terms are a parameter
            select={"fts_rowid": "search_fts.rowid"},
            tables=["search_fts"],
            where=where,
            params=params,
        )
        return _fetch(matched.order_by("-fts_rowid"), limit)

    def scores(self, ids: list[int], terms: Terms, facets: Facets = ()) -> dict[int, float]:
        """bm25 (lower is better: the score is its negation) for the rowids between the smallest
        and the largest of `ids`: FTS5 takes the range as a constraint, so it scores those
        matches only (the candidates are the newest, so the range holds few others).

        bm25 counts, for every phrase of the MATCH, the documents of the whole index holding it
        (its IDF) before it scores a row: each common word costs a few milliseconds, a facet
        token as much (a tenth of the index is articles), though the facets column weighs
        nothing. So facets join the MATCH only where the range holds many documents with the
        words that lack them (850 resources under CC BY among 54,000 documents with the word:
        they keep FTS5 to the documents that carry them), and a kind only when it is the one
        filter (a licence or a topic is the rarer); when the range holds no more than
        DENSE_RANGE documents with the words, they are scored without (`_dense`). Every way
        gives the same scores: a facet token adds nothing to one.
        """
        if not ids:
            return {}
        words = self.scored_words(terms)
        low, high = min(ids), max(ids)
        if facets and self._dense(words, low, high):
            facets = ()
        elif any(name != "kind" for name, _value in facets):
            facets = tuple(f for f in facets if f[0] != "kind")  # the rarer licence or topic
        sql = (
            f"SELECT rowid, -bm25(search_fts, {self.WEIGHTS}) FROM search_fts"
            " WHERE search_fts MATCH %s AND rowid >= %s AND rowid <= %s"
        )
        wanted = set(ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match(words, facets, found=False), low, high])
            return {pk: score for pk, score in cursor.fetchall() if pk in wanted}

    DENSE_RANGE = 1_000  # documents with the words in the range scored without the facets

    def _dense(self, words: Terms, low: int, high: int) -> bool:
        """Whether the rowids from `low` to `high` hold at most DENSE_RANGE documents with
        `words` (read from the words' lists only, stopping after that many)."""
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM search_fts"
            " WHERE search_fts MATCH %s AND rowid >= %s AND rowid <= %s LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [words.fts5(), low, high, self.DENSE_RANGE + 1])
            return bool(cursor.fetchone()[0] <= self.DENSE_RANGE)

    @staticmethod
    def found_words(terms: Terms) -> Terms:
        """The words of documents found already, for highlighting them.

        A phrase's words are taken as words, without stopwords, as PostgreSQL's english
        configuration leaves them out (FTS5 has no list): "a" is in every document, and marking
        it in 20 snippets read its huge list of positions 20 times (a phrase with three of
        them: 17.6 ms to highlight a page, 8.1 without them).
        """
        every = list(dict.fromkeys([*terms.words, *(w for p in terms.phrases for w in p)]))
        return Terms(tuple(w for w in every if w not in STOPWORDS) or tuple(every))

    @staticmethod
    def scored_words(terms: Terms) -> Terms:
        """The words documents found already are weighed by: the query's words, and for each
        phrase its longest word other than a stopword (the first of the longest).

        bm25 weighs a phrase by how many documents hold it, which FTS5 counts by checking the
        phrase in EVERY document that has its words (0.1 s for a common phrase over a million
        documents); the candidates matched it already. Each found document holds the whole
        phrase, so one of its words counts its occurrences as well as all of them would, and
        counting all of them cost a common phrase's three words' documents (17.6 ms for "a
        question for people who teach"); the longest word is the likeliest to be rare.
        """
        chosen = list(terms.words)
        for phrase in terms.phrases:
            kept = [w for w in phrase if w not in STOPWORDS] or list(phrase)
            chosen.append(max(kept, key=len))
        return Terms(tuple(dict.fromkeys(chosen)))

    def highlights(self, ids: list[int], terms: Terms) -> dict[int, tuple[str, str]]:
        """FTS5 highlight() of the title and snippet() of the body, marking the words that are
        not stopwords (as PostgreSQL's headline does)."""
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
            cursor.execute(
                sql, [*marks, *marks, self.match(self.found_words(terms), found=False), *ids]
            )
            return {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}


class PostgresBackend:
    """The generated tsvector column with Django's full-text expressions (no contrib app needed).

    Candidates (the newest `limit` matches) are never left to the planner's choice between the
    primary key and the full-text index: it estimates from counts as if matches were spread
    evenly over time, and they are not. A first name is held by a few thousand people, all
    among the oldest documents: walking the primary key back from the newest for them read the
    whole table (0.8 s). Several words it takes as independent, so it thought "a question for
    people who teach" rare and read all 186,000 documents holding it through the index (0.4 s).
    So the newest PROBE documents are read first (about a millisecond); how many of them match
    says how many newest documents hold `limit` matches:
    - up to MAX_WALK: those are walked, newest first, as far as `limit` matches (cheap per row);
    - more, or none matched: the matches come from the full-text index, which reads only the
      matching rows and sorts them (the right way for a word that is rare, or rare lately).
    """

    PROBE = 1_000
    MAX_WALK = 50_000

    def _query(self, terms: Terms) -> Any:
        from django.contrib.postgres.search import SearchQuery

        query = None
        parts = [(terms.plain(), "plain")] if terms.words else []
        parts += [(text, "phrase") for text in terms.phrase_texts()]
        for text, search_type in parts:
            part = SearchQuery(text, search_type=search_type, config=CONFIG)
            query = part if query is None else query & part
        return query

    def _vector(self, column: str = "vector") -> RawSQL:
        from django.contrib.postgres.search import SearchVectorField

        table = SearchDocument._meta.db_table
        return RawSQL(f'"{table}"."{column}"', [], output_field=SearchVectorField())

    def candidates(
        self,
        qs: QuerySet[SearchDocument],
        terms: Terms,
        limit: int,
        facets: Facets = (),
        before: int | None = None,
    ) -> list[Row]:
        """`vector @@ query` and `facet_vector @@ facets`, the newest `limit`, newest first:
        by a walk over the newest documents or through the GIN indexes (see the class)."""
        if before is not None:
            qs = qs.filter(id__lt=before)
        probe = self._among_newest(qs, self.PROBE, terms, facets, limit)
        if len(probe) >= limit:
            return probe
        if probe:
            walk = self.PROBE * limit * 3 // (2 * len(probe))  # half as far again as likely
            if walk <= self.MAX_WALK:
                found = self._among_newest(qs, walk, terms, facets, limit)
                if len(found) >= limit:
                    return found
        return _fetch(self._matching(qs, terms, facets), limit)

    def _among_newest(
        self, qs: QuerySet[SearchDocument], count: int, terms: Terms, facets: Facets, limit: int
    ) -> list[Row]:
        """Matches among the newest `count` documents of `qs`, newest first. The newest are a
        subquery with its own LIMIT, which PostgreSQL cannot merge into the outer query: it
        walks the primary key backwards and checks each vector (2 ms for 10,000). Given the
        range as a condition instead, it took the full-text index for the cheaper way once the
        table was analysed, and read all 186,000 documents holding a common phrase (29 ms).
        """
        newest = qs.order_by("-id").annotate(v=self._vector(), fv=self._vector("facet_vector"))
        inner, params = newest.values_list("id", "kind", "created_at", "v", "fv")[
            :count
        ].query.sql_with_params()
        parts = [f"plainto_tsquery('{CONFIG}'::regconfig, %s)"] if terms.words else []
        parts += [f"phraseto_tsquery('{CONFIG}'::regconfig, %s)"] * len(terms.phrases)
        values: list[Any] = [terms.plain()] if terms.words else []
        values += terms.phrase_texts()
        where = [f"d.v @@ ({' && '.join(parts)})"]
        tokens = [facet_token(name, value) for name, value in facets if name != "kind"]
        if tokens:
            where.append("d.fv @@ plainto_tsquery('simple'::regconfig, %s)")
            values.append(" ".join(tokens))
        for name, value in facets:
            if name == "kind":
                where.append("d.kind = %s")
                values.append(value)
        sql = (
            f"SELECT d.id, d.kind, d.created_at FROM ({inner}) d"
            f" WHERE {' AND '.join(where)} ORDER BY d.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *values, limit])
            return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]

    def _matching(
        self, qs: QuerySet[SearchDocument], terms: Terms, facets: Facets
    ) -> QuerySet[SearchDocument]:
        matched = qs.alias(search_vector=self._vector()).filter(search_vector=self._query(terms))
        tokens = [facet_token(name, value) for name, value in facets if name != "kind"]
        for name, value in facets:  # kinds by column: their partial indexes (migration 0005)
            if name == "kind":  # read a tenth of the postings a common kind's token holds
                matched = matched.filter(kind=value)
        if tokens:
            from django.contrib.postgres.search import SearchQuery

            wanted = SearchQuery(" ".join(tokens), config="simple")
            matched = matched.alias(facet_vector=self._vector("facet_vector"))
            matched = matched.filter(facet_vector=wanted)
        # Ordered by an expression, not the column: no walk of the primary key (see the class).
        return matched.annotate(newest=F("id") + 0).order_by("-newest")

    def scores(self, ids: list[int], terms: Terms, facets: Facets = ()) -> dict[int, float]:
        """ts_rank over the weighted vector, as a double: a real read back as text loses digits,
        and a cursor must compare equal to the score it came from."""
        from django.contrib.postgres.search import SearchRank

        if not ids:
            return {}
        rank = Cast(SearchRank(self._vector(), self._query(terms)), FloatField())
        rows = SearchDocument.objects.filter(pk__in_ids=IdArray(ids)).annotate(score=rank)
        return dict(rows.values_list("pk", "score"))

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


def _fetch(qs: QuerySet[SearchDocument], limit: int) -> list[Row]:
    """(id, kind, created_at) rows straight from the cursor (no ORM converters for a thousand
    rows; SQLite's driver gives the stored UTC time without its zone)."""
    sql, params = qs.values_list("id", "kind", "created_at")[:limit].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
