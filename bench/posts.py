"""Write the generated posts, their topics and mentions in batches."""

import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection

from bench.rows import Inserter, stamp
from bench.scale import Scale
from bench.text import bodies

END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
KINDS = (["note"] * 70) + (["article"] * 15) + (["resource"] * 15)
# Issue 4's community: 1,000,000 posts of which 100,000 resources.
DISCOVERY_KINDS = (["note"] * 72) + (["article"] * 18) + (["resource"] * 10)
VISIBILITIES = (["public"] * 85) + (["unlisted"] * 5) + (["network"] * 7) + (["private"] * 3)
TOPIC_COUNTS = [0] * 25 + [1] * 35 + [2] * 25 + [3] * 15
LICENCES = ["cc0", "cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "pdm", "arr"]
COLUMNS = [
    "id", "author_id", "kind", "title", "body", "body_html", "link_url", "licence",
    "visibility", "in_reply_to_id", "thread_root_id", "uri", "created_at", "deleted_at",
]  # fmt: skip


def write_posts(scale: Scale, rng: random.Random, viewer_id, activity, topic_rank) -> None:
    """Insert `scale.posts` posts, then their topic and mention rows.

    `topic_rank` lists topic ids from the most to the least popular (Zipf-like, s=0.8).
    """
    from connective.content.models import Post

    authors = list(activity)
    cum = list(itertools.accumulate(activity[a] for a in authors))
    topic_cum = list(itertools.accumulate(1 / (r**0.8) for r in range(1, len(topic_rank) + 1)))
    topic_rows: list[tuple[int, int]] = []
    mention_rows: list[tuple[int, int]] = []
    rows = _post_rows(scale, rng, authors, cum, viewer_id, mention_rows)
    Inserter(Post, COLUMNS).insert(_with_topics(rows, rng, topic_rank, topic_cum, topic_rows))
    Inserter(Post.topics.through, ["post_id", "topic_id"]).insert(topic_rows)
    Inserter(Post.mentions.through, ["post_id", "person_id"]).insert(mention_rows)
    _reset_post_sequence()


def _with_topics(rows, rng, topics, cum, out) -> Iterator[tuple]:
    for row in rows:
        n = rng.choice(TOPIC_COUNTS)
        if n:
            picked = set(rng.choices(topics, cum_weights=cum, k=n))
            out.extend((row[0], t) for t in picked)
        yield row


def _post_rows(scale, rng, authors, cum, viewer_id, mentions) -> Iterator[tuple]:
    site = settings.CONNECTIVE_SITE_URL
    notes = bodies(rng, 300, 1)
    articles = bodies(rng, 60, 8)
    resources = bodies(rng, 60, 2)
    roots: list[int] = [0]  # roots[id] = thread root of post id (0 = itself)
    start = END - SPAN
    step = SPAN / scale.posts
    deleted = stamp(END)
    kinds = DISCOVERY_KINDS if scale.name.startswith("discovery") else KINDS
    created = start
    for pid in range(1, scale.posts + 1):
        if rng.random() > 0.02:  # 2 % share the previous post's timestamp
            created = (start + step * pid).replace(microsecond=0)
        author = rng.choices(authors, cum_weights=cum)[0]
        kind = rng.choice(kinds)
        visibility = rng.choice(VISIBILITIES)
        parent = root = None
        if pid > 10 and rng.random() < scale.reply_share:
            parent = max(1, pid - 1 - int(rng.expovariate(1 / 200)))
            root = roots[parent] or parent
        roots.append(root or 0)
        body, body_html = rng.choice(
            articles if kind == "article" else resources if kind == "resource" else notes
        )
        title = "" if kind == "note" else body.split(".")[0][:200]
        link = f"https://oer{pid % 97}.example/item/{pid}" if kind == "resource" else ""
        licence = rng.choice(LICENCES) if kind == "resource" else ""
        if visibility == "private":
            mentioned = viewer_id if rng.random() < 0.05 else rng.choice(authors)
            if mentioned != author:
                mentions.append((pid, mentioned))
        gone = deleted if rng.random() < 0.003 else None
        yield (
            pid, author, kind, title, body, body_html, link, licence, visibility,
            parent, root, f"{site}/posts/{pid}", stamp(created), gone,
        )  # fmt: skip


def _reset_post_sequence() -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    from connective.content.models import Post

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Post]):
            cursor.execute(sql)
