"""How big a generated community is: the full scale of issue 2, and 1/100 of it."""

import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Scale:
    """The sizes the generator builds and the measurement repeats."""

    name: str
    people: int
    posts: int
    topics: int
    viewer_connections: int
    viewer_followed_topics: int
    connections_per_person: int
    reply_share: float
    repetitions: int
    warmup: int

    def marker(self) -> str:
        """A stable text identifying what a generated database holds."""
        data = asdict(self)
        for key in ("repetitions", "warmup"):
            data.pop(key)
        return ";".join(f"{key}={value}" for key, value in sorted(data.items()))


FULL = Scale(
    name="full",
    people=10_000,
    posts=1_000_000,
    topics=500,
    viewer_connections=300,
    viewer_followed_topics=20,
    connections_per_person=10,
    reply_share=0.2,
    repetitions=200,
    warmup=5,
)

SMALL = Scale(
    name="small",
    people=100,
    posts=10_000,
    topics=50,
    viewer_connections=30,
    viewer_followed_topics=20,
    connections_per_person=5,
    reply_share=0.2,
    repetitions=100,
    warmup=5,
)

SCALES = {scale.name: scale for scale in (FULL, SMALL)}

# Issue 4 (search, expert finder, map): its own community, kept apart from the stream's.
DISCOVERY = Scale(
    name="discovery",
    people=100_000,
    posts=1_000_000,
    topics=1_000,
    viewer_connections=300,
    viewer_followed_topics=20,
    connections_per_person=20,
    reply_share=0.2,
    repetitions=200,
    warmup=5,
)

DISCOVERY_SMALL = Scale(
    name="discovery-small",
    people=2_000,
    posts=20_000,
    topics=200,
    viewer_connections=300,
    viewer_followed_topics=20,
    connections_per_person=20,
    reply_share=0.2,
    repetitions=60,
    warmup=3,
)

DISCOVERY_SCALES = {
    "": DISCOVERY,
    "full": DISCOVERY,
    "discovery": DISCOVERY,
    "small": DISCOVERY_SMALL,
    "discovery-small": DISCOVERY_SMALL,
}


def discovery_scale_from_env() -> Scale:
    """BENCH_SCALE=discovery (also full or unset) or discovery-small (also small)."""
    name = os.environ.get("BENCH_SCALE", "").strip().lower()
    if name not in DISCOVERY_SCALES:
        raise SystemExit(f"BENCH_SCALE must be discovery or discovery-small, not {name!r}")
    return DISCOVERY_SCALES[name]


def scale_from_env() -> Scale:
    """BENCH_SCALE=small or full (the default)."""
    name = os.environ.get("BENCH_SCALE", "full").strip().lower() or "full"
    if name not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {name!r}")
    return SCALES[name]
