"""Which feed parser (issue 6): speed on the benchmark feeds, robustness on our bad-feed corpus.

Each candidate reads the same bytes and its summaries go through nh3 (our one sanitiser,
core.html.sanitize_html), except feedparser's default, which sanitises with its own and is the
reference `feed_ingest_ratio` is measured against:

- `feedparser_default`: feedparser.parse(bytes) as it comes (its own sanitiser and URL resolver);
- `feedparser_nh3`: feedparser with its sanitiser and URL resolver off, then nh3;
- `fastfeedparser_nh3`: fastfeedparser (lxml inside) on the bytes, then nh3;
- `lxml_nh3`: our reader (connective.feeds.services.parse: lxml, entities never expanded), then nh3.

Prints items/s for each, its speed against feedparser's default, and for every corpus document
what it found (items, or the reason it refused) against what tests/feeds expects.

    .venv/bin/python -m bench.feed_parsers          # BENCH_FEEDS=200 feeds x 50 items
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "feeds" / "corpus"
BASE = "https://feeds.example.org/feed.xml"
# What tests/feeds expects of each corpus document: its number of items, or None (refused).
EXPECTED: dict[str, int | None] = {
    "rss091.xml": 2,
    "rss10.rdf": 1,
    "rss20.xml": 2,
    "atom10.xml": 1,
    "odd_dates.xml": 5,
    "relative_links.xml": 3,
    "duplicate_ids.xml": 4,
    "html_titles.xml": 1,
    "wrong_encoding.xml": 1,
    "invalid.xml": None,
    "not_a_feed.html": None,
    "page_with_feeds.html": None,
    "billion_laughs.xml": None,
    "external_entity.xml": None,
}


def _feedparser_default(data: bytes) -> list[str]:
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        raise ValueError(str(parsed.get("bozo_exception"))[:80])
    if not parsed.get("version"):
        raise ValueError("not a feed")
    return [e.get("summary", "") for e in parsed.entries]


def _feedparser_nh3(data: bytes) -> list[str]:
    import feedparser

    from connective.core.html import sanitize_html

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo") and not any(e.get("link") or e.get("id") for e in parsed.entries):
        raise ValueError(str(parsed.get("bozo_exception"))[:80])
    if not parsed.get("version"):
        raise ValueError("not a feed")
    return [sanitize_html(e.get("summary", "")) for e in parsed.entries]


def _fastfeedparser_nh3(data: bytes) -> list[str]:
    import fastfeedparser

    from connective.core.html import sanitize_html

    parsed = fastfeedparser.parse(data)
    return [sanitize_html(e.get("description", "") or "") for e in parsed.entries]


def _lxml_nh3(data: bytes) -> list[str]:
    from connective.feeds.services.parse import parse_feed

    return [item.clean_html for item in parse_feed(data, BASE).items]


CANDIDATES: dict[str, Callable[[bytes], list[str]]] = {
    "feedparser_default": _feedparser_default,
    "feedparser_nh3": _feedparser_nh3,
    "fastfeedparser_nh3": _fastfeedparser_nh3,
    "lxml_nh3": _lxml_nh3,
}


def speed(docs: list[bytes], read: Callable[[bytes], list[str]]) -> float:
    """Items per second reading every document (the best of two rounds)."""
    best = float("inf")
    for _round in range(2):
        started = time.perf_counter()
        count = sum(len(read(data)) for data in docs)
        best = min(best, time.perf_counter() - started)
    return count / best


def corpus_result(read: Callable[[bytes], list[str]], data: bytes) -> tuple[str, int | None]:
    """(what it found, in words; its number of items, or None if it refused the document)."""
    try:
        found = len(read(data))
    except Exception as exc:  # a candidate's failure is a result here, never the end of the run
        return f"refused ({type(exc).__name__}: {' '.join(str(exc).split())[:60]})", None
    return f"{found} items", found


def main() -> None:
    """Print each candidate's speed, then its corpus results."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    os.environ.setdefault("CONNECTIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from bench.feeds import _feed

    docs = [_feed(n) for n in range(int(os.environ.get("BENCH_FEEDS", "200")))]
    rates = {name: speed(docs, read) for name, read in CANDIDATES.items()}
    reference = rates["feedparser_default"]
    for name, rate in rates.items():
        emit(f"{name}_items_per_s", round(rate))
        emit(f"{name}_speedup", round(rate / reference, 2))
    for name, read in CANDIDATES.items():
        right = 0
        for path in sorted(CORPUS.iterdir()):
            said, found = corpus_result(read, path.read_bytes())
            expected = EXPECTED.get(path.name)
            ok = found == expected
            right += ok
            emit(f"corpus {name} {path.name}", f"{said} {'as expected' if ok else 'WRONG'}")
        emit(f"{name}_corpus_as_expected", f"{right}/{len(EXPECTED)}")


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
