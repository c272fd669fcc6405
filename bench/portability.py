"""Export and import benchmark (issue 5): a network of 5,000 connections and 20,000 posts.

Prints `export_s` (the whole archive, streamed to a file), `import_s` (checking the archive and
re-creating every connection and post for a newcomer: `import_look_up_s` finding the people, then
`import_write_s` the one transaction), `peak_rss_mb` (the
process's peak memory), and, measured in the same run, `dump_s`: the same rows read and written
as bare JSON with no archive, files, records or checks, with the ratio `export_vs_dump`.
Timings are printed, never asserted. BENCH_SCALE=small runs at 1/10 scale.

    .venv/bin/python -m bench.portability
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": (5_000, 20_000), "small": (500, 2_000)}


def setup() -> tuple[int, int]:
    """Use a database of its own, migrated; the sizes for BENCH_SCALE."""
    name = os.environ.get("BENCH_SCALE", "full").strip().lower() or "full"
    if name not in SIZES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SIZES)}, not {name!r}")
    if not os.environ.get("CONNECTIVE_DATABASE_URL"):
        var = ROOT / "var" / "bench" / f"portability-{name}"
        if var.exists():
            import shutil

            shutil.rmtree(var)
        os.environ["CONNECTIVE_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
    os.environ.setdefault("CONNECTIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return SIZES[name]


def generate(connections: int, posts: int):
    """The mover and their network, written in bulk (not what is measured)."""
    from django.utils import timezone

    from connective.accounts.models import Person, User
    from connective.content.models import Post
    from connective.core.uris import absolute_uri
    from connective.network.models import Connection
    from connective.topics.models import Topic

    User.objects.filter(username__in=["mover", "arrival"]).delete()
    mover_user = User.objects.create(username="mover", email="mover@bench.example")
    mover = Person.objects.create(user=mover_user, handle="mover", uri=absolute_uri("/@mover/"))
    topics = [
        Topic.objects.get_or_create(key=f"topic{n}", defaults={"name": f"Topic {n}"})[0]
        for n in range(50)
    ]
    people = Person.objects.bulk_create(
        Person(handle=f"p{n}", domain="peers.example", uri=f"https://peers.example/users/p{n}")
        for n in range(connections)
    )
    conns = Connection.objects.bulk_create(
        Connection(
            owner=mover,
            target=p,
            direction="learn_from",
            note=f"Met at event {n}",
            met_where="A conference",
            status="active",
            accepted_at=timezone.now(),
        )
        for n, p in enumerate(people)
    )
    Connection.topics.through.objects.bulk_create(
        Connection.topics.through(connection_id=c.pk, topic_id=topics[n % 50].pk)
        for n, c in enumerate(conns)
    )
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            author=mover,
            kind="note" if n % 3 else "article",
            title="" if n % 3 else f"Title {n}",
            body=f"Post number {n} about #topic{n % 50} and open learning. " * 4,
            body_html=f"<p>Post number {n}</p>",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(posts)
    )
    for post in made:
        post.uri = absolute_uri(f"/posts/{post.pk}/")
    Post.objects.bulk_update(made, ["uri"], batch_size=2000)
    Post.topics.through.objects.bulk_create(
        Post.topics.through(post_id=p.pk, topic_id=topics[n % 50].pk) for n, p in enumerate(made)
    )
    arrival_user = User.objects.create(username="arrival", email="arrival@bench.example")
    arrival = Person.objects.create(
        user=arrival_user, handle="arrival", uri=absolute_uri("/@arrival/")
    )
    return mover, arrival


def dump_baseline(mover) -> float:
    """The same rows read and written as bare JSON: the floor an export cannot go below."""
    from connective.content.models import Post
    from connective.network.models import Connection

    started = time.perf_counter()
    with tempfile.TemporaryFile("w") as out:
        for row in Connection.objects.filter(owner=mover).values().iterator(chunk_size=2000):
            out.write(json.dumps(row, default=str) + "\n")
        for row in Post.objects.filter(author=mover).values().iterator(chunk_size=2000):
            out.write(json.dumps(row, default=str) + "\n")
    return time.perf_counter() - started


def main() -> None:
    """Generate, export, import, print the figures."""
    connections, posts = setup()
    mover, arrival = generate(connections, posts)
    from django.urls import reverse

    from connective.portability.services.apply import apply_plan
    from connective.portability.services.export import write_archive
    from connective.portability.services.importing import plan_file
    from connective.portability.services.plan import Account

    reverse("web:landing")  # load the URL configuration, as a running worker has (≈1 s, once)
    dump_s = dump_baseline(mover)
    with tempfile.TemporaryFile() as archive:
        started = time.perf_counter()
        write_archive(mover, archive)
        export_s = time.perf_counter() - started
        size = archive.tell()
        archive.seek(0)
        started = time.perf_counter()
        plan, zf = plan_file(archive)
        # The archive arrives from another server (one database plays both): its account is
        # the mover's elsewhere, so the import takes it as a move; the people in it are found
        # here by their addresses, as on a server that already knows them.
        plan.account = Account("mover@a.example", "https://a.example/@mover", "Mover", A_SITE)
        report = apply_plan(arrival, plan, zf)
        import_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit("connections", connections)
    emit("posts", posts)
    emit("archive_mb", round(size / 1024 / 1024, 1))
    emit("export_s", round(export_s, 2))
    emit("dump_s", round(dump_s, 2))
    emit("export_vs_dump", round(export_s / dump_s, 1))
    emit("import_s", round(import_s, 2))
    # the look-ups, then the one transaction (on SQLite the write lock is held that long)
    emit("import_look_up_s", report["seconds"]["look_up"])
    emit("import_write_s", report["seconds"]["write"])
    emit("imported_posts", report["counts"].get("posts", {}).get("added", 0))
    emit("imported_connections", report["counts"].get("connections", {}).get("added", 0))
    emit("peak_rss_mb", round(peak, 1))


A_SITE = "https://a.example"


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
