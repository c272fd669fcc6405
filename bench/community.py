"""The discovery community of issue 4: the stream's generator at 100,000 people, then what search,
the expert finder and the map read.

On top of `bench.generate` (people, topics, connections, posts with their topics and licences) it
writes, deterministically:
- a purpose on every connection: 0–2 topics (Zipf-like), the direction the generator gave it;
- declared expertise (0–3 topics) and interests (0–4) for everyone; 90 % of people opted in
  to discovery, 2 % opted out of suggestions;
- useful marks on 30 % of resources (1–5 each, `useful_count` kept in step);
- 60 published courses on popular topics and 6,000 statements of participation (5 % revoked);
- **the map viewer** (`bench_mapper`): 500 active ties (350 of theirs, 150 of them mutual, 150
  incoming only), purposes on them, a third dormant, 8 interests of which some are gaps;
then builds the search index through the bulk reindex path and analyses the database.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import timedelta

from django.db import connection, transaction

from bench import generate
from bench.generate import Community
from bench.rows import Inserter, stamp
from bench.scale import Scale

MAPPER_HANDLE = "bench_mapper"
MAP_TIES = 500
SEED = 20261129
VERSION = 1
# The marker's suffix while the rows are written but not yet indexed: a run stopped during the
# index (the longest step) resumes there instead of writing the community again.
UNINDEXED = "unindexed"


def ensure_discovery(scale: Scale) -> tuple[Community, int]:
    """The community (re-used when it holds `scale`) and the map viewer's id."""
    marker = f"discovery-v{VERSION};g{generate.VERSION};{scale.marker()}"
    found = generate._read_marker()
    if found and found[0] == marker:
        return _community(found[1], found[2], reused=True), generate._person_id(MAPPER_HANDLE)
    started = time.perf_counter()
    if found and found[0] == f"{marker};{UNINDEXED}":  # the rows are there: index them only
        viewer_id, started = found[1], started - found[2]
    else:
        if found is not None or generate._has_rows():
            generate._wipe()
        viewer_id = generate._build(scale)
        _log(f"base community in {time.perf_counter() - started:.0f} s")
        _extras(scale)
        _log(f"extras at {time.perf_counter() - started:.0f} s")
        generate._write_marker(f"{marker};{UNINDEXED}", viewer_id, time.perf_counter() - started)
    _reindex()
    _log(f"search index at {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:  # PostgreSQL: set the visibility map, as autovacuum would
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.perf_counter() - started
    generate._write_marker(marker, viewer_id, seconds)
    return _community(viewer_id, seconds, reused=False), generate._person_id(MAPPER_HANDLE)


def _community(viewer_id: int, seconds: float, reused: bool) -> Community:
    from connective.accounts.models import Person
    from connective.content.models import Post

    quiet = generate._person_id(generate.QUIET_HANDLE)
    new = generate._person_id(generate.NEW_HANDLE)
    people, posts = Person.objects.count(), Post.objects.count()
    return Community(viewer_id, quiet, new, people, posts, seconds, reused)


def _log(text: str) -> None:
    import sys

    sys.stderr.write(f"[generate] {text}\n")
    sys.stderr.flush()


def _extras(scale: Scale) -> None:
    rng = random.Random(SEED)
    topic_ids = _topics_by_popularity()
    cum = list(itertools.accumulate(1 / (r**0.8) for r in range(1, len(topic_ids) + 1)))

    def pick(k: int) -> set[int]:
        return set(rng.choices(topic_ids, cum_weights=cum, k=k)) if k else set()

    with transaction.atomic():
        _purposes(rng, pick)
        _profiles(rng, pick)
        _useful(rng)
        _courses(rng, topic_ids)
        _mapper(rng, pick)


def _topics_by_popularity() -> list[int]:
    """Topic ids, most used on posts first (the generator's Zipf order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT topic_id FROM content_post_topics GROUP BY topic_id ORDER BY COUNT(*) DESC"
        )
        ranked = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM topics_topic")
        rest = [row[0] for row in cursor.fetchall() if row[0] not in set(ranked)]
    return ranked + sorted(rest)


def _purposes(rng: random.Random, pick) -> None:
    """0–2 topics on every connection: why they connected."""
    from connective.network.models import Connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM network_connection ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    rows = ((cid, t) for cid in ids for t in pick(rng.choice((0, 1, 1, 2))))
    Inserter(Connection.topics.through, ["connection_id", "topic_id"]).insert(rows)


def _profiles(rng: random.Random, pick) -> None:
    """Declared expertise and interests; some people hidden from discovery or suggestions."""
    from connective.accounts.models import Person
    from connective.discovery.models import DiscoveryPreference

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_person WHERE user_id IS NULL ORDER BY id")
        people = [row[0] for row in cursor.fetchall()]
    expertise = ((pk, t) for pk in people for t in pick(rng.choice((0, 0, 1, 1, 2, 3))))
    Inserter(Person.expertise.through, ["person_id", "topic_id"]).insert(expertise)
    interests = ((pk, t) for pk in people for t in pick(rng.randint(0, 4)))
    Inserter(Person.interests.through, ["person_id", "topic_id"]).insert(interests)
    shown = [(rng.random() >= 0.1, pk) for pk in people]  # opt-in: 90 % chose to be found
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE accounts_person SET discoverable = %s WHERE id = %s", shown)
    opted = [pk for pk in people if rng.random() < 0.02]
    Inserter(DiscoveryPreference, ["person_id", "suggest_me"]).insert((pk, False) for pk in opted)


def _useful(rng: random.Random) -> None:
    """30 % of resources marked useful by 1–5 people, with `useful_count` in step."""
    from connective.content.models import Useful

    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM accounts_person WHERE user_id IS NULL")
        top = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM content_post WHERE kind = 'resource' ORDER BY id")
        resources = [row[0] for row in cursor.fetchall()]
    marks: list[tuple[int, int]] = []
    counts: list[tuple[int, int]] = []
    for post in resources:
        if rng.random() < 0.3:
            people = {rng.randint(1, top) for _ in range(rng.randint(1, 5))}
            marks.extend((pk, post) for pk in sorted(people))
            counts.append((len(people), post))
    Inserter(Useful, ["person_id", "post_id"]).insert(marks)
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE content_post SET useful_count = %s WHERE id = %s", counts)


def _courses(rng: random.Random, topic_ids: list[int]) -> None:
    """Published courses on popular topics and statements of participation in them."""
    import secrets

    from django.conf import settings

    from connective.courses.models import Course
    from connective.credentials.models import Statement

    site = settings.CONNECTIVE_SITE_URL
    now = generate._now()
    uris = {n: f"{site}/courses/bench-{n}" for n in range(1, 61)}
    columns = ["id", "slug", "title", "summary", "state", "uri", "published_at"]
    Inserter(Course, columns).insert(
        (n, f"bench-{n}", f"Course {n}", "A short course.", "published", uri, stamp(now))
        for n, uri in uris.items()
    )
    Inserter(Course.topics.through, ["course_id", "topic_id"]).insert(
        (n, t) for n in uris for t in set(rng.sample(topic_ids[:40], 2))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM accounts_person WHERE user_id IS NULL")
        top = cursor.fetchone()[0]
    pairs = {(rng.randint(1, top), rng.randint(1, 60)) for _ in range(6_000)}
    columns = ["public_id", "recipient_id", "source_uri", "achievement_name", "issued_at"]
    columns += ["credential", "revoked_at"]
    Inserter(Statement, columns).insert(
        (
            secrets.token_hex(12),
            pk,
            uris[n],
            f"Course {n}",
            stamp(now),
            "bench",
            stamp(now) if rng.random() < 0.05 else None,
        )  # fmt: skip
        for pk, n in sorted(pairs)
    )
    _reset([Course])


def _mapper(rng: random.Random, pick) -> None:
    """The map viewer: 500 active ties with purposes, a third of them dormant."""
    from connective.accounts.models import Person
    from connective.network.models import Connection

    mapper = generate._write_viewer(MAPPER_HANDLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM accounts_person WHERE user_id IS NULL")
        top = cursor.fetchone()[0]
    people = rng.sample(range(1, top + 1), MAP_TIES)
    now = generate._now()
    directions = ["learn_from", "learn_with", "help"]
    rows = []
    for i, pk in enumerate(people):
        last = stamp(now - timedelta(days=200 if i % 3 == 0 else 5))
        direction = directions[i % 3]
        if i < 350:
            rows.append((mapper, pk, "active", direction, stamp(now), last))
        if i < 150 or i >= 350:
            rows.append((pk, mapper, "active", directions[(i + 1) % 3], stamp(now), last))
    columns = ["owner_id", "target_id", "status", "direction", "accepted_at"]
    Inserter(Connection, [*columns, "last_interaction_at"]).insert(rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM network_connection WHERE owner_id = %s OR target_id = %s",
            [mapper, mapper],
        )
        ids = [row[0] for row in cursor.fetchall()]
    Inserter(Connection.topics.through, ["connection_id", "topic_id"]).insert(
        (cid, t) for cid in ids for t in pick(rng.choice((0, 1, 1, 2)))
    )
    Inserter(Person.interests.through, ["person_id", "topic_id"]).insert(
        (mapper, t) for t in sorted(pick(4) | {_rare_topic(rng) for _ in range(4)})
    )


def _rare_topic(rng: random.Random) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM topics_topic")
        top = cursor.fetchone()[0]
    return rng.randint(top // 2, top)


def _reset(models: list) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _reindex() -> None:
    """The search index through its own bulk path (what `connective reindex` runs)."""
    from connective.search.services.index import reindex_all

    started = time.perf_counter()

    def progress(source: str, count: int) -> None:
        _log(f"indexed {count} {source} documents ({time.perf_counter() - started:.0f} s)")

    reindex_all(progress)
