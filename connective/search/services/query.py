"""Search: one function over people, posts, web items, spaces and courses, for one viewer."""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.content.models import Post
from connective.feeds.models import FeedItem
from connective.search.models import DocKind, SearchDocument, Source
from connective.search.services.backends import Backend, Facets, Row, backend
from connective.search.services.highlight import marked_html
from connective.search.services.index import optional_model
from connective.search.services.terms import Terms, parse
from connective.search.services.visibility import visible_ids
from connective.stream.services.cards import load_cards

MAX_LIMIT = 50
MAX_CURSOR_LENGTH = 120
FACET_CAP = 500  # the newest matches ranked and counted (see docs/search.md)
KIND_LABELS: dict[str, str] = {
    DocKind.PERSON: "Person",
    DocKind.NOTE: "Note",
    DocKind.ARTICLE: "Article",
    DocKind.RESOURCE: "Resource",
    DocKind.WEB: "From the web",
    DocKind.SPACE: "Space",
    DocKind.COURSE: "Course",
}


class BadCursor(ValueError):
    """A cursor we did not make."""


@dataclass
class Hit:
    """One result: the document, its object (loaded by the caller) and highlighted text."""

    doc: SearchDocument
    title_html: SafeString
    snippet_html: SafeString
    obj: Any = None

    @property
    def kind(self) -> str:
        return self.doc.kind

    @property
    def kind_label(self) -> str:
        """The kind in the singular, as a result's label says it."""
        return KIND_LABELS.get(self.doc.kind, "")


@dataclass
class Results:
    """A page of results, facet counts by kind (visible documents only) and the next cursor."""

    terms: Terms
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, int] = field(default_factory=dict)
    next_cursor: str | None = None
    capped: bool = False  # more matches than FACET_CAP: the counts are "at least"

    @property
    def total(self) -> int:
        return sum(self.facets.values())


@dataclass
class Filters:
    """The optional narrowing of a search."""

    kind: str | None = None
    topic: Any = None  # a Topic
    licence: str | None = None
    author: Person | None = None
    since: date | None = None
    until: date | None = None


def search(
    viewer: Person | None,
    q: str,
    *,
    kind: str | None = None,
    topic: Any = None,
    licence: str | None = None,
    author: Person | None = None,
    since: date | None = None,
    until: date | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Results:
    """What `viewer` may see that matches `q`, best first (relevance, then newer first).

    The matches are taken from the full-text index newest first, at most FACET_CAP of them
    (all of them for any but the commonest words, and more when too few are visible:
    `_Matches`); the ones the viewer may see are counted by kind and ranked. Raises
    terms.QueryTooLong for an over-long query and BadCursor for a cursor we did not make.
    """
    terms = parse(q)
    after = decode_cursor(cursor) if cursor else None
    results = Results(terms)
    if not terms:
        return results
    engine = backend()
    filters = Filters(kind, topic, licence, author, since, until)
    narrowed, tokens = _narrowed(SearchDocument.objects.all(), filters), _facet_tokens(filters)
    matches = _Matches(engine, narrowed, terms, viewer)
    pool, results.capped, results.facets = matches.pool(tokens, kind)
    if kind:
        tokens = (*tokens, ("kind", kind))
    ranked = _rank(pool, engine.scores([row[0] for row in pool], terms, tokens), after)
    limit = max(1, min(limit, MAX_LIMIT))
    page = ranked[: limit + 1]
    docs = SearchDocument.objects.in_bulk([pk for _s, _c, pk in page])
    if len(page) > limit:
        page = page[:limit]
        score, _created, pk = page[-1]
        results.next_cursor = encode_cursor(score, docs[pk].created_at, pk)
    marks = engine.highlights([pk for _s, _c, pk in page], terms)
    for score, _created, pk in page:
        docs[pk].score = score  # type: ignore[attr-defined]
    results.hits = [_hit(docs[pk], marks.get(pk, ("", ""))) for _s, _c, pk in page]
    attach_objects(results.hits)
    return results


# When the viewer may see fewer than half of the newest FACET_CAP matches (a common word among
# many posts hidden from them), older matches are read, FACET_CAP at a time, at most this many
# times more, until they may see half: what is hidden never crowds out what they may see.
MAX_TOP_UPS = 4


@dataclass
class _Matches:
    """The newest matches of a search that the viewer may see: what is ranked and counted."""

    engine: Backend
    qs: QuerySet[SearchDocument]
    terms: Terms
    viewer: Person | None

    def pool(self, tokens: Facets, kind: str | None) -> tuple[list[Row], bool, dict[str, int]]:
        """The matches to rank, whether there are more than were looked at, and the counts by
        kind. The counts come from the newest matches of every kind; a kind asked for is ranked
        from its own newest matches when those of every kind are more than FACET_CAP (newer
        matches of other kinds would crowd it out)."""
        window = self.engine.candidates(self.qs, self.terms, FACET_CAP + 1, tokens)
        own: list[Row] = []
        kinded: Facets = (*tokens, ("kind", kind)) if kind else tokens
        if kind and len(window) > FACET_CAP:
            own = self.engine.candidates(self.qs, self.terms, FACET_CAP + 1, kinded)
        allowed = visible_ids(self.viewer, [row[0] for row in window + own])  # one check
        pool, capped = self.top_up(window, allowed, tokens)
        counts = Counter(row[1] for row in pool)
        facets = {k: counts[k] for k in DocKind.values if counts[k]}
        if own:
            pool, _more = self.top_up(own, allowed, kinded)
        elif kind:
            pool = [row for row in pool if row[1] == kind]
        return pool, capped, facets

    def top_up(self, rows: list[Row], allowed: set[int], tokens: Facets) -> tuple[list[Row], bool]:
        """The visible ones of `rows` (up to FACET_CAP + 1 newest matches, newest first; the
        extra one says there are older ones), topped up with older matches while fewer than
        half of FACET_CAP are visible; and whether matches are left that were not looked at
        (the counts are then "at least")."""
        more, rows = len(rows) > FACET_CAP, rows[:FACET_CAP]
        kept = [row for row in rows if row[0] in allowed]
        for _ in range(MAX_TOP_UPS):
            if not more or 2 * len(kept) >= FACET_CAP:
                break
            rows = self.engine.candidates(
                self.qs, self.terms, FACET_CAP + 1, tokens, before=rows[-1][0]
            )
            more, rows = len(rows) > FACET_CAP, rows[:FACET_CAP]
            seen = visible_ids(self.viewer, [row[0] for row in rows])
            kept += [row for row in rows if row[0] in seen]
        return kept[:FACET_CAP], more or len(kept) > FACET_CAP


Key = tuple[float, datetime, int]  # score, created_at, id


def _aware(value: datetime) -> datetime:
    """SQLite's cursor gives the stored UTC time without its zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _rank(pool: list[Row], scores: dict[int, float], after: Key | None) -> list[Key]:
    """(score, created_at, id) of each row, best first; only those after the cursor's row."""
    keys = [(scores.get(pk, 0.0), _aware(created), pk) for pk, _kind, created in pool]
    if after is not None:
        keys = [key for key in keys if key < after]
    keys.sort(reverse=True)
    return keys


def _hit(row: SearchDocument, marks: tuple[str, str]) -> Hit:
    title, snippet = marks
    return Hit(row, marked_html(title or row.title), marked_html(snippet or row.body[:200]))


def attach_objects(hits: list[Hit]) -> None:
    """Load each hit's object (post, person, space, course) in one query per source; a hit
    whose object has gone in the meantime is dropped. Posts get their author and topic labels
    (`topic_list`) as the stream's cards do."""
    loaders: dict[str, Any] = {
        Source.POST: Post.objects.all(),  # authors and topic labels: load_cards, below
        Source.PERSON: Person.objects.prefetch_related("interests", "expertise"),
        Source.FEED_ITEM: FeedItem.objects.select_related("feed"),
    }
    for optional, label, name in (
        (Source.SPACE, "spaces", "Space"),
        (Source.COURSE, "courses", "Course"),
    ):
        model = optional_model(label, name)
        if model is not None:
            loaders[optional] = model.objects.all()
    for source, queryset in loaders.items():
        ids = [h.doc.object_id for h in hits if h.doc.source == source]
        if ids:
            found = queryset.in_bulk(ids)
            for hit in hits:
                if hit.doc.source == source:
                    hit.obj = found.get(hit.doc.object_id)
    hits[:] = [h for h in hits if h.obj is not None]
    load_cards([h.obj for h in hits if h.doc.source == Source.POST])


def _facet_tokens(f: Filters) -> Facets:
    """The topic and licence filters, asked of the full-text index itself (`facets`)."""
    tokens = []
    if f.topic is not None:
        tokens.append(("topic", str(f.topic.pk)))
    if f.licence:
        tokens.append(("licence", f.licence))
    return tuple(tokens)


def _narrowed(qs: QuerySet[SearchDocument], f: Filters) -> QuerySet[SearchDocument]:
    """The filters the full-text index does not hold: author and dates."""
    if f.author is not None:
        qs = qs.filter(author_id=f.author.pk).exclude(kind=DocKind.PERSON)
    if f.since:
        qs = qs.filter(created_at__gte=_start_of(f.since))
    if f.until:
        qs = qs.filter(created_at__lt=_start_of(f.until + timedelta(days=1)))
    return qs


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def encode_cursor(score: float, created_at: datetime, pk: int) -> str:
    """An opaque cursor for the row after which the next page starts (score kept exactly)."""
    raw = f"{float(score).hex()}|{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, datetime, int]:
    """Undo encode_cursor; BadCursor on anything else."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        score_hex, stamp, pk = raw.split("|")
        score = float.fromhex(score_hex)
        when = datetime.fromisoformat(stamp)
        number = int(pk)
        if when.tzinfo is None or not 0 < number < 2**63 or score != score:
            raise ValueError("cursor out of range")
        return score, when.astimezone(UTC), number
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("cursor not understood") from exc
