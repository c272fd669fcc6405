"""Feed ingest benchmark (issue 6): FEEDS feeds x 50 items served by a loopback server.

Prints `feed_ingest_items_per_s` (fetch, parse, sanitise, de-duplicate, store: the first poll of
every feed), `feedparser_items_per_s` (feedparser.parse with its default settings on the same
bytes, in the same run), their ratio `feed_ingest_ratio`, then a second poll of every feed with
nothing changed: `feed_repoll_304_share`, `feed_repoll_cpu_ms` (CPU per unchanged poll) and
`feed_repoll_time_ratio` (second poll's time / first poll's). Timings are printed, never asserted.

The CPU of a poll is the polling thread's own (`time.thread_time`): the loopback server that
stands in for the feeds' sites runs in this process on threads of its own, and its work is the
remote site's, not ours.

    .venv/bin/python -m bench.feeds            # BENCH_FEEDS=1000 by default
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 50


def _feed(n: int) -> bytes:
    """A realistic RSS 2.0 feed: 50 items with HTML summaries, categories, dates."""
    items = []
    for i in range(ITEMS):
        summary = (
            f"&lt;p&gt;Post {i} of blog {n}: notes on &lt;strong&gt;open learning&lt;/strong&gt;, "
            f"with &lt;a href=&quot;https://blog{n}.example.org/ref/{i}&quot;&gt;"
            "a reference&lt;/a&gt;"
            " and a list &lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;"
            " and some more text to make the summary the size of a real one. " * 2 + "&lt;/p&gt;"
        )
        items.append(
            f"<item><title>Post {i} of blog {n}</title>"
            f"<link>https://blog{n}.example.org/{i}</link><guid>blog{n}-{i}</guid>"
            f"<pubDate>Tue, {1 + i % 28:02d} Sep 2026 09:{i % 60:02d}:00 +0000</pubDate>"
            f"<category>topic{i % 7}</category><description>{summary}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Blog {n}</title><link>https://blog{n}.example.org/</link>"
        f"<description>Blog number {n}</description>{''.join(items)}</channel></rss>"
    ).encode()


def _setup() -> None:
    var = ROOT / "var" / "bench" / "feeds"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    os.environ["CONNECTIVE_VAR_DIR"] = str(var)
    # The loopback allowance for our own test server; tasks run inline.
    os.environ["CONNECTIVE_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    os.environ.setdefault("CONNECTIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(trap, path: str, body: bytes) -> None:
    etag = f'"{len(body)}-{path}"'

    def handler(req, _trap) -> None:
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("ETag", etag)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    trap.route(path, handler)


def main() -> None:
    """Run the benchmark and print its figures."""
    count = int(os.environ.get("BENCH_FEEDS", "1000"))
    _setup()
    import feedparser

    from connective.accounts.models import Person
    from connective.feeds.models import Feed, FetchLog
    from connective.feeds.services.polling import poll_feed
    from connective.feeds.services.subscribe import subscribe
    from tests.trap import trap_server

    docs = [_feed(n) for n in range(count)]
    started = time.perf_counter()
    for data in docs:
        feedparser.parse(data)
    raw_s = time.perf_counter() - started
    reader = Person.objects.create(handle="reader", uri="https://bench.example/reader")
    with trap_server() as trap:
        for n, data in enumerate(docs):
            _serve(trap, f"/f{n}.xml", data)
        started = time.perf_counter()
        for n in range(count):
            subscribe(reader, trap.url(f"/f{n}.xml"))
        first_s = time.perf_counter() - started
        ids = list(Feed.objects.values_list("pk", flat=True))
        FetchLog.objects.all().delete()
        started, cpu = time.perf_counter(), time.thread_time()
        for pk in ids:
            poll_feed(pk)
        second_s, second_cpu = time.perf_counter() - started, time.thread_time() - cpu
    not_modified = FetchLog.objects.filter(outcome=FetchLog.Outcome.NOT_MODIFIED).count()
    items = count * ITEMS
    emit("feeds", count)
    emit("feed_items", items)
    emit("feed_ingest_items_per_s", round(items / first_s))
    emit("feedparser_items_per_s", round(items / raw_s))
    emit("feed_ingest_ratio", round(raw_s / first_s, 2))
    emit("feed_repoll_304_share", round(not_modified / len(ids), 3))
    emit("feed_repoll_cpu_ms", round(second_cpu * 1000 / len(ids), 3))
    emit("feed_repoll_time_ratio", round(second_s / first_s, 4))


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
