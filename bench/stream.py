"""Time the home stream through the real view, next to the baseline, and report percentiles."""

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client, override_settings

from bench.baseline import BASELINE_PATH
from bench.scale import Scale

HOME = "/home/"
PAGE_DEEP = 50
_CURSOR = re.compile(r'href="\?[^"]*cursor=([A-Za-z0-9_\-]+)"')


@dataclass
class Timings:
    """Milliseconds per request for each measured URL."""

    page1: list[float]
    page50: list[float]
    baseline: list[float]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def viewer_client(viewer_id: int) -> Client:
    """A test client logged in as the viewer (host header the settings allow)."""
    from connective.accounts.models import Person

    person = Person.objects.select_related("user").get(pk=viewer_id)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person.user)
    return client


def deep_url(client: Client, pages: int = PAGE_DEEP) -> str:
    """Follow the "Older posts" links from page 1 to page `pages`; its URL."""
    url = HOME
    for _ in range(pages - 1):
        response = client.get(url)
        _expect_ok(response, url)
        found = _CURSOR.search(response.content.decode())
        if not found:
            raise SystemExit(f"the stream ended before page {pages}")
        url = f"{HOME}?cursor={found.group(1)}"
    return url


def measure(viewer_id: int, scale: Scale) -> Timings:
    """Warm up, then time page 1, page 50 and the baseline, interleaved so noise hits all."""
    with override_settings(ROOT_URLCONF="bench.baseline"):
        client = viewer_client(viewer_id)
        urls = {"page1": HOME, "page50": deep_url(client), "baseline": BASELINE_PATH}
        for url in urls.values():
            for _ in range(scale.warmup):
                _expect_ok(client.get(url), url)
        samples: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(scale.repetitions):
            for name, url in urls.items():
                samples[name].append(_time(lambda u=url: client.get(u)))
    return Timings(samples["page1"], samples["page50"], samples["baseline"])


def _time(call: Callable) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    _expect_ok(response, "")
    return elapsed


def _expect_ok(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")


def figures(timings: Timings) -> dict[str, float]:
    """The figures printed by `make bench`."""
    page1_p95 = percentile(timings.page1, 95)
    base_p95 = percentile(timings.baseline, 95)
    page50_p95 = percentile(timings.page50, 95)
    return {
        "stream_page1_p50_ms": percentile(timings.page1, 50),
        "stream_page1_p95_ms": page1_p95,
        "stream_page50_p50_ms": percentile(timings.page50, 50),
        "stream_page50_p95_ms": page50_p95,
        "baseline_p50_ms": percentile(timings.baseline, 50),
        "baseline_p95_ms": base_p95,
        "stream_p95_ratio": page1_p95 / base_p95,
        "stream_page50_ratio": page50_p95 / page1_p95,
    }
