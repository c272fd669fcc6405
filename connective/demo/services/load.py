"""Load the demo community, idempotently and the same way every time.

Every choice comes from a `random.Random` seeded per stage, so two loads into empty databases
produce the same people, ties, posts and titles. The demo people are recognised by handle:
if all of them exist the load does nothing; if only some do (an administrator deleted a few),
the missing people are recreated with their profiles and ties, and no posts are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, Useful
from connective.courses.models import Course
from connective.credentials.models import Statement
from connective.demo.services import community, learner, network, threads, writing
from connective.demo.services.apps import load_apps
from connective.demo.services.catalog import LEARNER, Catalog, catalog
from connective.demo.services.compose import Voice
from connective.demo.services.state import Demo
from connective.demo.services.timeline import apply_dates
from connective.network.models import Connection
from connective.spaces.models import Space

SEED = 2026
LOADED, ALREADY, COMPLETED = "loaded", "already loaded", "completed"


@dataclass
class DemoResult:
    """What a load did, with counts of the demo community as it now stands."""

    status: str
    people: int = 0
    connections: int = 0
    posts: dict[str, int] = field(default_factory=dict)
    replies: int = 0
    useful: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def top_level(self) -> int:
        """Notes, articles and resources that are not replies."""
        return sum(self.posts.values())


def load_demo(seed: int = SEED, password: str = "") -> DemoResult:
    """Load the demo with every account on `password`; nothing happens if it is already here."""
    cat = catalog()
    taken = community.taken_handles(cat.handles)
    if len(taken) == len(cat.handles):
        load_apps(cat)  # an older demo gains the spaces, courses and map added since
        return count_demo(ALREADY, cat)
    started = timezone.now()
    demo = Demo(
        rng=Random(seed), now=started, cat=cat, voice=Voice(Random(f"{seed}/voice"), cat.topics)
    )
    password_hash = make_password(password)
    with transaction.atomic():
        community.load_topics(demo)
        if taken:
            _complete(demo, seed, taken, password_hash)
        else:
            _load_all(demo, seed, password_hash)
        demo.rng = Random(f"{seed}/dates")
        apply_dates(demo, started)
    load_apps(cat)
    result = count_demo(COMPLETED if taken else LOADED, cat)
    result.skipped = [h for h in taken if h not in demo.people]
    return result


def _load_all(demo: Demo, seed: int, password_hash: str) -> None:
    """A fresh community: people, ties, posts, the learner's corner, replies, useful marks."""
    demo.rng = Random(f"{seed}/people")
    community.create_people(demo, demo.cat.handles, password_hash)
    _ties(demo, seed, only=None)
    demo.rng = Random(f"{seed}/posts")
    writing.write_resources(demo)
    writing.write_notes(demo)
    writing.write_articles(demo)
    demo.rng = Random(f"{seed}/learner")
    learner.write_learner(demo)
    demo.rng = Random(f"{seed}/replies")
    threads.write_replies(demo)
    demo.rng = Random(f"{seed}/useful")
    threads.mark_posts_useful(demo)
    learner.mark_learner(demo)


def _complete(demo: Demo, seed: int, taken: list[str], password_hash: str) -> None:
    """Recreate the demo people who are missing, with their profiles and their ties."""
    community.load_existing(demo, taken)
    demo.people = {
        h: p
        for h, p in demo.people.items()
        if p.user is not None and p.user.email.endswith("@" + community.DEMO_EMAIL_DOMAIN)
    }
    for handle, person in demo.people.items():
        demo.joined[handle] = person.created_at
    missing = [h for h in demo.cat.handles if h not in taken]
    demo.rng = Random(f"{seed}/people")
    community.create_people(demo, missing, password_hash)
    _ties(demo, seed, only=set(missing))


def _ties(demo: Demo, seed: int, only: set[str] | None) -> None:
    demo.rng = Random(f"{seed}/ties")
    ties = network.plan_ties(demo)
    mine, requests = network.learner_ties(demo)
    network.make_ties(demo, ties + mine, only)
    network.make_requests(demo, requests, only)


def count_demo(status: str, cat: Catalog) -> DemoResult:
    """Counts over the demo people as they are in the database now."""
    ids = list(
        Person.objects.local()
        .filter(handle__in=cat.handles, user__email__endswith="@" + community.DEMO_EMAIL_DOMAIN)
        .values_list("pk", flat=True)
    )
    mine = Post.objects.filter(author_id__in=ids, deleted_at__isnull=True)
    kinds = mine.filter(in_reply_to__isnull=True).values("kind").annotate(n=Count("pk"))
    return DemoResult(
        status=status,
        people=len(ids),
        connections=Connection.objects.filter(owner_id__in=ids).count(),
        posts={row["kind"]: row["n"] for row in kinds.order_by("kind")},
        replies=mine.filter(in_reply_to__isnull=False).count(),
        useful=Useful.objects.filter(person_id__in=ids).count(),
    )


def summary(result: DemoResult, password: str) -> str:
    """The lines the command prints."""
    posts = result.posts
    if result.status == ALREADY:
        head = "Demo community already loaded; nothing changed."
    elif result.status == COMPLETED:
        head = "The demo community was partly here; the missing people were recreated."
    else:
        head = "Loaded the demo community."
    lines = [
        head,
        f"  {result.people} people, {result.connections} connections with a purpose,",
        f"  {result.top_level} posts ({posts.get('resource', 0)} resources, "
        f"{posts.get('article', 0)} articles, {posts.get('note', 0)} notes), "
        f"{result.replies} replies, {result.useful} useful marks.",
    ]
    lines.append(
        f"  {Space.objects.count()} spaces, {Course.objects.count()} courses, "
        f"{Statement.objects.count()} statements of participation."
    )
    if result.skipped:
        lines.append(f"  Skipped (handle taken by someone else): {', '.join(result.skipped)}.")
    lines.append(f"Log in as {LEARNER} / {password} (every demo account uses this password).")
    return "\n".join(lines)
