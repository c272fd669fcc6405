"""Time the home stream through the real view, next to the baseline, and report percentiles.

Headline figures are for the benchmark viewer (300 connections, 20 topics). A few more cases
show where a query on read is weakest: a filtered stream, a quiet network, a new account.
"""

import math
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client, override_settings

from bench.baseline import BASELINE_PAGE_PATH, BASELINE_PATH
from bench.scale import Scale

HOME = "/home/"
PAGE_DEEP = 50
_CURSOR = re.compile(r'href="\?[^"]*cursor=([A-Za-z0-9_\-]+)"')


@dataclass
class Case:
    """One URL to time as one viewer; `samples` in milliseconds."""

    name: str
    client: Client
    url: str
    headline: bool = True
    samples: list[float] = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def viewer_client(person_id: int) -> Client:
    """A test client logged in as a person (with a host header the settings allow)."""
    from connective.accounts.models import Person

    person = Person.objects.select_related("user").get(pk=person_id)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person.user)
    return client


def deep_url(client: Client, query: dict[str, str], pages: int = PAGE_DEEP) -> tuple[str, int]:
    """Follow the "Older posts" links from page 1 towards page `pages`: (URL, page reached)."""
    url = _url(query)
    for page in range(1, pages):
        response = client.get(url)
        _expect_ok(response, url)
        found = _CURSOR.search(response.content.decode())
        if not found:
            return url, page
        url = _url({**query, "cursor": found.group(1)})
    return url, pages


def _url(query: dict[str, str]) -> str:
    return f"{HOME}?{urlencode(query)}" if query else HOME


def cases(community, topic_key: str) -> list[Case]:
    """What to time: the headline pages and the baseline, then the harder cases."""
    main = viewer_client(community.viewer_id)
    quiet = viewer_client(community.quiet_id)
    new = viewer_client(community.new_id)
    deep, _ = deep_url(main, {})
    quiet_deep, quiet_pages = deep_url(quiet, {})
    return [
        Case("stream_page1", main, HOME),
        Case("stream_page50", main, deep),
        Case("baseline", main, BASELINE_PATH),
        Case("baseline_page", main, BASELINE_PAGE_PATH),
        Case("resources_page1", main, _url({"kind": "resource"}), headline=False),
        Case("topic_page1", main, _url({"topic": topic_key}), headline=False),
        Case("quiet_page1", quiet, HOME, headline=False),
        Case(f"quiet_page{quiet_pages}", quiet, quiet_deep, headline=False),
        Case("new_page1", new, HOME, headline=False),
    ]


def measure(community, scale: Scale) -> list[Case]:
    """Warm up, then time every case, interleaved so that machine noise hits all alike."""
    from connective.accounts.models import Person

    viewer = Person.objects.get(pk=community.viewer_id)
    topic = viewer.followed_topics.order_by("key").first()
    with override_settings(ROOT_URLCONF="bench.baseline"):
        todo = cases(community, topic.key if topic else "")
        for case in todo:
            for _ in range(scale.warmup):
                _expect_ok(case.client.get(case.url), case.url)
        for round_ in range(scale.repetitions):
            for case in todo:
                if case.headline or round_ < scale.repetitions // 3:
                    case.samples.append(_time(case.client, case.url))
    return todo


def _time(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    _expect_ok(response, url)
    return elapsed


def _expect_ok(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")


def figures(todo: list[Case]) -> dict[str, float]:
    """The figures printed by `make bench`: p50 and p95 per case, then the two ratios."""
    out: dict[str, float] = {}
    for case in todo:
        out[f"{case.name}_p50_ms"] = percentile(case.samples, 50)
        out[f"{case.name}_p95_ms"] = percentile(case.samples, 95)
    out["stream_p95_ratio"] = out["stream_page1_p95_ms"] / out["baseline_p95_ms"]
    out["stream_page50_ratio"] = out["stream_page50_p95_ms"] / out["stream_page1_p95_ms"]
    out["stream_vs_page_p95_ratio"] = out["stream_page1_p95_ms"] / out["baseline_page_p95_ms"]
    return out


def service_figures(viewer_id: int, scale: Scale) -> dict[str, float]:
    """The stream's queries alone (home_page, ORM included) next to the baseline's one query."""
    from connective.accounts.models import Person
    from connective.content.models import Post
    from connective.stream.services.home import home_page

    viewer = Person.objects.get(pk=viewer_id)
    calls = {
        "stream_query": lambda: home_page(viewer, None),
        "baseline_query": lambda: list(
            Post.objects.order_by("-created_at", "-id").values_list("id", "created_at", "title")[
                :20
            ]
        ),
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(scale.warmup):
        for call in calls.values():
            call()
    for _ in range(scale.repetitions):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - started) * 1000)
    out: dict[str, float] = {}
    for name, values in samples.items():
        out[f"{name}_p50_ms"] = percentile(values, 50)
        out[f"{name}_p95_ms"] = percentile(values, 95)
    return out
