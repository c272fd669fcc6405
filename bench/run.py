"""`make bench`: generate (or re-use) the community, time the home stream, print figures.

Every figure is one line `name value`. BENCH_SCALE=small runs at 1/100 scale.
Timings are printed, never asserted.
"""

import sys
import time

from bench.env import setup_django
from bench.scale import scale_from_env


def main() -> None:
    """Run the home stream benchmark and print its figures."""
    started = time.perf_counter()
    scale = scale_from_env()
    setup_django(scale)
    from django.db import connection

    from bench.generate import ensure_community
    from bench.stream import figures, measure, service_figures

    community = ensure_community(scale)
    todo = measure(community, scale)
    emit("scale", scale.name)
    emit("database", connection.vendor)
    emit("people", community.people)
    emit("posts", community.posts)
    emit("generate_s", round(community.seconds, 1))
    emit("generate_reused", int(community.reused))
    emit("repetitions", scale.repetitions)
    for name, value in {**figures(todo), **service_figures(community.viewer_id, scale)}.items():
        emit(name, round(value, 2))
    emit("total_s", round(time.perf_counter() - started, 1))


def emit(name: str, value: object) -> None:
    """Print one figure."""
    sys.stdout.write(f"{name} {value}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
