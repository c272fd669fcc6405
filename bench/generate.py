"""Generate a benchmark community fast (raw batched inserts), or re-use one of the same scale.

What it builds, deterministically (seeded):
- `people` people (10 % remote, 0.5 % suspended) with a log-normal posting activity;
- `topics` topics with a Zipf-like popularity; everyone follows a few;
- a connection graph (`connections_per_person` each) and a viewer with `viewer_connections`
  active connections (half of them mutual), 10 pending ones, `viewer_followed_topics` topics,
  5 mutes and 10 people who block the viewer;
- `posts` posts over two years: 70 % notes, 15 % articles, 15 % resources; 85 % public,
  5 % unlisted, 7 % network, 3 % private (with a mention); 0–3 topics each; `reply_share`
  replies; 0.3 % deleted; a few timestamp ties.
"""

import random
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from bench.posts import write_posts
from bench.rows import Inserter, stamp
from bench.scale import Scale
from bench.text import person_name, topic_names

VIEWER_HANDLE = "bench_viewer"
QUIET_HANDLE = "bench_quiet"  # 3 connections to quiet people, 2 niche topics
NEW_HANDLE = "bench_new"  # no connections, no topics, no posts
SEED = 20261128
# Bump when the generator changes what it builds, so old databases are rebuilt.
VERSION = 2


@dataclass
class Community:
    """What the measurement needs to know about the generated data."""

    viewer_id: int
    quiet_id: int
    new_id: int
    people: int
    posts: int
    seconds: float
    reused: bool


def ensure_community(scale: Scale) -> Community:
    """Re-use the generated database when it holds `scale`; otherwise build it from scratch."""
    marker = f"v{VERSION};{scale.marker()}"
    found = _read_marker()
    if found and found[0] == marker:
        quiet, new = _person_id(QUIET_HANDLE), _person_id(NEW_HANDLE)
        return Community(found[1], quiet, new, scale.people, scale.posts, found[2], reused=True)
    if found is not None or _has_rows():
        _wipe()
    started = time.perf_counter()
    viewer_id = _build(scale)
    seconds = time.perf_counter() - started
    _write_marker(marker, viewer_id, seconds)
    quiet, new = _person_id(QUIET_HANDLE), _person_id(NEW_HANDLE)
    return Community(viewer_id, quiet, new, scale.people, scale.posts, seconds, reused=False)


def _person_id(handle: str) -> int:
    from connective.accounts.models import Person

    return Person.objects.get(handle=handle, domain="").pk


def _read_marker():
    if "bench_marker" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT scale, viewer_id, seconds FROM bench_marker")
        return cursor.fetchone()


def _write_marker(marker: str, viewer_id: int, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker "
            "(scale VARCHAR(500), viewer_id BIGINT, seconds DOUBLE PRECISION)"
        )
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute(
            "INSERT INTO bench_marker (scale, viewer_id, seconds) VALUES (%s, %s, %s)",
            [marker, viewer_id, seconds],
        )


def _has_rows() -> bool:
    """Whether anything is in the database (another benchmark may have used it: the
    federation benchmark makes people and a topic in the same full-scale database)."""
    from connective.accounts.models import Person
    from connective.content.models import Post
    from connective.topics.models import Topic

    return Post.objects.exists() or Person.objects.exists() or Topic.objects.exists()


def _wipe() -> None:
    """Start from an empty database: delete the SQLite file, or flush PostgreSQL."""
    from django.core.management import call_command

    from bench.env import migrate

    if connection.vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_marker")
        call_command("flush", interactive=False, verbosity=0)
    migrate()


def _build(scale: Scale) -> int:
    rng = random.Random(SEED)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-200000")
    with transaction.atomic():
        topic_ids = _write_topics(scale)
        people_ids = _write_people(scale, rng)
    _reset_sequences()
    topic_rank = topic_ids[:]  # most popular first
    rng.shuffle(topic_rank)
    with transaction.atomic():
        viewer_id = _write_viewer(VIEWER_HANDLE)
        activity = {pid: rng.lognormvariate(0, 1.2) for pid in people_ids}
        activity[viewer_id] = 2.0
        connected = _write_connections(scale, rng, viewer_id, people_ids)
        _write_follows(scale, rng, viewer_id, people_ids, topic_ids)
        _write_relations(rng, viewer_id, people_ids, connected)
        _write_quiet_and_new(activity, topic_rank)
    with transaction.atomic():
        write_posts(scale, rng, viewer_id, activity, topic_rank)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return viewer_id


def _write_topics(scale: Scale) -> list[int]:
    from connective.topics.models import Topic
    from connective.topics.normalize import topic_key

    names = topic_names(scale.topics)
    Inserter(Topic, ["id", "key", "name"]).insert(
        (i, topic_key(name), name) for i, name in enumerate(names, start=1)
    )
    return list(range(1, len(names) + 1))


def _write_people(scale: Scale, rng: random.Random) -> list[int]:
    from connective.accounts.models import Person

    site = settings.CONNECTIVE_SITE_URL
    suspended = stamp(_now())
    rows = []
    for i in range(1, scale.people + 1):
        handle = f"p{i:05d}"
        remote = rng.random() < 0.1
        domain = f"remote{i % 7}.example" if remote else ""
        uri = f"https://{domain}/users/{handle}" if remote else f"{site}/@{handle}"
        gone = suspended if rng.random() < 0.005 else None
        rows.append((i, handle, domain, uri, person_name(rng), gone))
    Inserter(Person, ["id", "handle", "domain", "uri", "display_name", "suspended_at"]).insert(rows)
    return list(range(1, scale.people + 1))


def _write_viewer(handle: str) -> int:
    from connective.accounts.models import User
    from connective.accounts.services.people import create_local_person

    user = User.objects.create_user(username=handle, email=f"{handle}@bench.example")
    return create_local_person(user, display_name=handle.replace("_", " ").title()).pk


def _write_quiet_and_new(activity: dict[int, float], topic_rank: list[int]) -> None:
    """Two more viewers for the worst cases of a query on read: a quiet network, none at all."""
    from connective.accounts.models import Person
    from connective.network.models import Connection

    quiet_id = _write_viewer(QUIET_HANDLE)
    _write_viewer(NEW_HANDLE)
    quietest = sorted(activity, key=activity.__getitem__)[:3]
    Inserter(Connection, ["owner_id", "target_id", "status", "direction"]).insert(
        (quiet_id, target, "active", "learn_with") for target in quietest
    )
    Inserter(Person.followed_topics.through, ["person_id", "topic_id"]).insert(
        (quiet_id, topic) for topic in topic_rank[-2:]
    )


def _write_connections(scale, rng, viewer_id, people_ids) -> list[int]:
    from connective.network.models import Connection

    pairs: dict[tuple[int, int], str] = {}
    chosen = rng.sample(people_ids, scale.viewer_connections + 10)
    connected, pending = chosen[: scale.viewer_connections], chosen[scale.viewer_connections :]
    for target in connected:
        pairs[(viewer_id, target)] = "active"
    for target in pending:
        pairs[(viewer_id, target)] = "pending"
    for owner in connected[: len(connected) // 2] + rng.sample(people_ids, len(connected) // 3):
        pairs.setdefault((owner, viewer_id), "active")
    for owner in people_ids:
        for target in rng.sample(people_ids, scale.connections_per_person):
            if target != owner:
                pairs.setdefault((owner, target), "active")
    directions = ["learn_from", "learn_with", "help"]
    Inserter(Connection, ["owner_id", "target_id", "status", "direction"]).insert(
        (owner, target, status, directions[(owner + target) % 3])
        for (owner, target), status in pairs.items()
    )
    return connected


def _write_follows(scale, rng, viewer_id, people_ids, topic_ids) -> None:
    from connective.accounts.models import Person

    follows = Inserter(Person.followed_topics.through, ["person_id", "topic_id"])
    rows = [(viewer_id, t) for t in rng.sample(topic_ids, scale.viewer_followed_topics)]
    for pid in people_ids:
        rows += [(pid, t) for t in rng.sample(topic_ids, rng.randint(0, 5))]
    follows.insert(rows)
    interests = Inserter(Person.interests.through, ["person_id", "topic_id"])
    interests.insert((viewer_id, t) for t in rng.sample(topic_ids, 5))


def _write_relations(rng, viewer_id, people_ids, connected) -> None:
    from connective.network.models import Block, Mute

    muted = rng.sample(connected, 3) + rng.sample(people_ids, 2)
    Inserter(Mute, ["owner_id", "target_id"]).insert(
        (viewer_id, target) for target in sorted(set(muted))
    )
    blockers = set(rng.sample(connected, 2) + rng.sample(people_ids, 8))
    pairs = {(owner, viewer_id) for owner in blockers}
    for _ in range(len(people_ids) // 10):
        owner, target = rng.sample(people_ids, 2)
        pairs.add((owner, target))
    Inserter(Block, ["owner_id", "target_id"]).insert(sorted(pairs))


def _reset_sequences() -> None:
    """After explicit ids, PostgreSQL's sequences must move past them (SQLite does it itself)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    from connective.accounts.models import Person
    from connective.topics.models import Topic

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Person, Topic]):
            cursor.execute(sql)


def _now():
    from django.utils import timezone

    return timezone.now()
