"""Issue 4's benchmark: search, the expert finder and the PLN map through their real views.

`python -m bench.discovery` (part of `make bench`) builds or re-uses the discovery community
(`bench.community`: 100,000 people, 2,000,000 connections, 1,000,000 posts; BENCH_SCALE=small for
1/50 of it), then times, logged in through Django's test client, round after round so that noise
from the machine hits every case alike:
- search: a mix of common and rare words, a person's name, a topic, with and without the kind,
  licence and topic filters, as four viewers (300 connections, a quiet one, a new one, 500 ties);
- the expert finder, two hops out: a popular topic, a middling one, and free text;
- the map page of the viewer with 500 ties;
- the unit: one post found by primary key (`bench.lookup`), behind the same login.
Every figure is a line `name[database] value`; percentiles are nearest-rank. BENCH_ROUNDS
overrides the number of rounds; BENCH_SQLITE_CACHE_MB=N gives the benchmark's SQLite connection
an N MB page cache and memory-mapped reads (an experiment for the settings, not the default).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.env import setup_django
from bench.scale import discovery_scale_from_env

SEARCH, EXPERT, MAP, LOOKUP = "search", "expert", "map", "lookup"


@dataclass
class Case:
    """One URL timed as one viewer; `samples` in milliseconds."""

    group: str
    name: str
    client: object
    url: str
    samples: list[float] = field(default_factory=list)


def main() -> None:
    """Build or re-use the community, time every case, print the figures."""
    started = time.perf_counter()
    scale = discovery_scale_from_env()
    setup_django(scale)
    from django.db import connection
    from django.test import override_settings

    from bench.community import ensure_discovery

    community, mapper_id = ensure_discovery(scale)
    db = connection.vendor
    cache_mb = int(os.environ.get("BENCH_SQLITE_CACHE_MB") or 0)
    if cache_mb and db == "sqlite":  # an experiment: a larger page cache and memory-mapped I/O
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
            cursor.execute(f"PRAGMA mmap_size={cache_mb * 1024 * 1024}")
        emit(f"sqlite_cache_mb[{db}]", cache_mb)
    emit("database", db)
    emit(f"scale[{db}]", scale.name)
    emit(f"people[{db}]", community.people)
    emit(f"posts[{db}]", community.posts)
    emit(f"generate_s[{db}]", round(community.seconds, 1))
    emit(f"generate_reused[{db}]", int(community.reused))
    rounds = int(os.environ.get("BENCH_ROUNDS") or scale.repetitions)
    emit(f"rounds[{db}]", rounds)
    with override_settings(ROOT_URLCONF="bench.lookup"):
        todo = cases(community, mapper_id)
        run(todo, scale.warmup, rounds)
    for name, value in figures(todo).items():
        emit(f"{name}[{db}]", round(value, 2))
    emit(f"total_s[{db}]", round(time.perf_counter() - started, 1))


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


def _search(**params: str) -> str:
    return "/search/?" + urlencode(params)


def cases(community, mapper_id: int) -> list[Case]:
    """Everything timed, with the words and topics picked from the generated data."""
    from bench.stream import viewer_client

    main, quiet = viewer_client(community.viewer_id), viewer_client(community.quiet_id)
    new, mapper = viewer_client(community.new_id), viewer_client(mapper_id)
    w = _words()
    searches = [
        ("common", main, _search(q=w["common"])),
        ("common2", mapper, _search(q=w["subject"])),
        ("rare", main, _search(q=w["rare"])),
        ("name", main, _search(q=w["name"])),
        ("name_people", new, _search(q=w["first"], kind="person")),
        ("topic", main, _search(q=w["topic_name"])),
        ("two_words", quiet, _search(q=f"{w['common']} {w['subject']}")),
        ("phrase", main, _search(q=f'"{w["opener"]}"')),
        ("kind", main, _search(q=w["subject"], kind="resource")),
        ("licence", mapper, _search(q=w["subject"], kind="resource", licence="cc-by")),
        ("topic_filter", main, _search(q=w["common"], topic=w["topic_key"])),
        ("articles_new", new, _search(q=w["common"], kind="article")),
    ]
    experts = [
        ("topic_popular", main, "/experts/?" + urlencode({"topic": w["topic_key"]})),
        ("topic_middling", mapper, "/experts/?" + urlencode({"topic": w["middling_key"]})),
        ("free_text", main, "/experts/?" + urlencode({"q": w["free_text"]})),
        ("free_text_quiet", quiet, "/experts/?" + urlencode({"q": w["subject"]})),
    ]
    out = [Case(SEARCH, name, client, url) for name, client, url in searches]
    out += [Case(EXPERT, name, client, url) for name, client, url in experts]
    out.append(Case(MAP, "map_500", mapper, "/network/map/"))
    out.append(Case(LOOKUP, "lookup", main, f"/bench/lookup/{w['post_id']}/"))
    return out


def _words() -> dict[str, str]:
    """The words searched for, taken from the data so each case means what its name says."""
    from django.db.models import Count

    from bench.text import FIRST, OPENERS, SUBJECTS
    from connective.accounts.models import Person
    from connective.content.models import Post
    from connective.topics.models import Topic

    topics = Topic.objects.annotate(n=Count("posts")).order_by("-n", "pk")
    popular = topics.first()
    middling = topics[topics.count() // 4]
    rare = topics.order_by("n", "pk").filter(n__gt=0).first()
    person = Person.objects.filter(user__isnull=True).exclude(display_name="").order_by("pk")[7]
    assert popular and rare and middling
    return {
        "common": "today",  # "Today I tried …" opens a tenth of all notes
        "opener": OPENERS[2],
        "subject": SUBJECTS[1],  # "pedagogy": one post in fifty
        "rare": rare.name.split()[-1],  # a numbered topic's number: a handful of posts
        "name": person.display_name,
        "first": FIRST[3],
        "topic_name": popular.name,
        "topic_key": popular.key,
        "middling_key": middling.key,
        "free_text": "literacy",  # data, media, … literacy: several topics
        "post_id": str(Post.objects.order_by("-pk").values_list("pk", flat=True)[1000]),
    }


def run(todo: list[Case], warmup: int, rounds: int) -> None:
    """Warm up, then every case once per round, in turn."""
    for case in todo:
        for _ in range(warmup):
            _get(case)
    for _ in range(rounds):
        for case in todo:
            started = time.perf_counter()
            _get(case)
            case.samples.append((time.perf_counter() - started) * 1000)


def _get(case: Case) -> None:
    response = case.client.get(case.url)  # type: ignore[attr-defined]
    if response.status_code != 200:
        raise SystemExit(f"GET {case.url} answered {response.status_code}")


def figures(todo: list[Case]) -> dict[str, float]:
    """Per group p50/p95 over all its cases (and per case), and the ratios to the lookup."""
    from bench.stream import percentile

    out: dict[str, float] = {}
    groups: dict[str, list[float]] = {}
    for case in todo:
        groups.setdefault(case.group, []).extend(case.samples)
    lookup = percentile(groups[LOOKUP], 95)
    out["lookup_p50_ms"] = percentile(groups[LOOKUP], 50)
    out["lookup_p95_ms"] = lookup
    for group in (SEARCH, EXPERT):
        out[f"{group}_p50_ms"] = percentile(groups[group], 50)
        out[f"{group}_p95_ms"] = percentile(groups[group], 95)
        out[f"{group}_p95_ratio"] = out[f"{group}_p95_ms"] / lookup
    out["map_ms"] = percentile(groups[MAP], 95)
    out["map_p50_ms"] = percentile(groups[MAP], 50)
    out["map_ratio"] = out["map_ms"] / lookup
    for case in todo:
        if case.group in (SEARCH, EXPERT):
            out[f"{case.group}_{case.name}_p50_ms"] = percentile(case.samples, 50)
            out[f"{case.group}_{case.name}_p95_ms"] = percentile(case.samples, 95)
    return out


if __name__ == "__main__":
    main()
