"""Feed ingest benchmark (issue 6): FEEDS feeds x 50 items served by a loopback server.

A reader follows FEEDS feeds that were never polled (as an OPML import leaves them: due now), and
one worker polls each in turn, as `poll_feed_task` does. Prints `feed_ingest_items_per_s` (fetch,
parse, sanitise, de-duplicate, store and index: the first poll of every feed),
`feedparser_items_per_s` (feedparser.parse with its default settings on the same bytes, in the
same run), their ratio `feed_ingest_ratio`, then a second poll of every feed with nothing changed:
`feed_repoll_304_share`, `feed_repoll_cpu_ms` (CPU per unchanged poll) and
`feed_repoll_time_ratio` (second poll's time / first poll's). Timings are printed, never asserted.

The feeds are served by a separate process on loopback, standing in for the feeds' sites (a plain
socket loop answering from prepared bytes): its work is the remote sites', not ours, and it must
not take this process's interpreter lock while the polls are timed. The CPU of a poll is the
polling thread's own (`time.thread_time`).

    .venv/bin/python -m bench.feeds            # BENCH_FEEDS=1000 by default
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


# The feeds' sites: one plain loop answering from prepared bytes (as a static file server with
# ETags does, in a few tens of microseconds), so that the time a poll waits for its answer is not
# a Python web server's.
SERVER = r"""
import socket, sys
sys.path.insert(0, sys.argv[2])
from bench.feeds import _feed

def answers(path, body):
    etag = f'"{len(body)}-{path}"'.encode()
    head = b"Content-Type: application/rss+xml\r\nETag: " + etag
    full = b"HTTP/1.1 200 OK\r\n%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (
        head, len(body), body)
    same = b"HTTP/1.1 304 Not Modified\r\nETag: %s\r\nConnection: close\r\n\r\n" % etag
    return b"If-None-Match: " + etag, full, same

docs = {f"/f{n}.xml".encode(): answers(f"/f{n}.xml", _feed(n)) for n in range(int(sys.argv[1]))}
MISSING = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(128)
print(server.getsockname()[1], flush=True)
while True:
    conn, _ = server.accept()
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(65536)
            if not chunk:
                break
            head += chunk
        found = docs.get(head.split(b" ", 2)[1]) if head.count(b" ") >= 2 else None
        if found is None:
            conn.sendall(MISSING)
        else:
            condition, full, same = found
            conn.sendall(same if condition in head else full)
"""


def _followed_feeds(port: int, count: int) -> list[int]:
    """A reader following `count` feeds that have never been polled (as an OPML import leaves
    them: due now); their ids."""
    from django.utils import timezone

    from connective.accounts.models import Person
    from connective.feeds.models import Feed, Subscription

    reader = Person.objects.create(handle="reader", uri="https://bench.example/reader")
    now = timezone.now()
    feeds = Feed.objects.bulk_create(
        Feed(url=f"http://127.0.0.1:{port}/f{n}.xml", next_poll_at=now) for n in range(count)
    )
    Subscription.objects.bulk_create(Subscription(person=reader, feed=feed) for feed in feeds)
    return [feed.pk for feed in feeds]


def _poll_all(ids: list[int]) -> tuple[float, float]:
    """Poll every feed once, as one worker would; (wall seconds, CPU seconds of this thread)."""
    from connective.feeds.services.polling import poll_feed

    started, cpu = time.perf_counter(), time.thread_time()
    for pk in ids:
        poll_feed(pk)
    return time.perf_counter() - started, time.thread_time() - cpu


def main() -> None:
    """Run the benchmark and print its figures."""
    count = int(os.environ.get("BENCH_FEEDS", "1000"))
    _setup()
    import feedparser

    from connective.core.http import allow_loopback
    from connective.feeds.models import Feed

    docs = [_feed(n) for n in range(count)]
    started = time.perf_counter()
    for data in docs:
        feedparser.parse(data)
    raw_s = time.perf_counter() - started
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(count), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        ids = _followed_feeds(port, count)
        with allow_loopback(port):
            first_s, _ = _poll_all(ids)
            second_s, second_cpu = _poll_all(ids)
    finally:
        server.terminate()
    # A 304 is counted on its feed (the fetch log keeps polls that brought a document).
    stored = Feed.objects.filter(pk__in=ids, not_modified_count=1).count()
    items = count * ITEMS
    emit("feeds", count)
    emit("feed_items", items)
    emit("feed_ingest_items_per_s", round(items / first_s))
    emit("feedparser_items_per_s", round(items / raw_s))
    emit("feed_ingest_ratio", round(raw_s / first_s, 2))
    emit("feed_repoll_304_share", round(stored / len(ids), 3))
    emit("feed_repoll_cpu_ms", round(second_cpu * 1000 / len(ids), 3))
    emit("feed_repoll_time_ratio", round(second_s / first_s, 4))


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
