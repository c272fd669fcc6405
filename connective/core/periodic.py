"""Periodic sweeps: the worker's clock for work whose schedule lives in database rows.

Durable work (a scheduled post, a feed's next poll, a delivery's next attempt) keeps its own due
time in its row; that row is the truth. A sweep is a function that finds due rows and handles or
enqueues them, and must be safe to run twice at once (claim rows, check state). Apps register
their sweeps in `AppConfig.ready()`; `connective worker` runs every sweep on its interval in a
background thread, so a worker killed mid-job loses nothing: the next sweep finds the row again.
Tests call the sweep functions directly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections

log = logging.getLogger(__name__)


@dataclass
class Sweep:
    """One registered sweep and when it last ran (monotonic seconds)."""

    name: str
    run: Callable[[], object]
    every: float
    last_run: float = field(default=float("-inf"))


_sweeps: dict[str, Sweep] = {}


def register(name: str, run: Callable[[], object], *, every: float) -> None:
    """Run `run()` about every `every` seconds under the worker (re-registering replaces)."""
    _sweeps[name] = Sweep(name, run, every)


def sweeps() -> list[Sweep]:
    """The registered sweeps (for tests and the admin guide)."""
    return list(_sweeps.values())


def run_due(now: float | None = None) -> list[str]:
    """Run every sweep whose interval has passed; a failing sweep is logged, not fatal."""
    now = time.monotonic() if now is None else now
    ran = []
    for sweep in list(_sweeps.values()):
        if now - sweep.last_run < sweep.every:
            continue
        sweep.last_run = now
        close_old_connections()
        try:
            sweep.run()
            ran.append(sweep.name)
        except Exception:  # one broken sweep must not stop the others
            log.exception("periodic sweep %s failed", sweep.name)
        finally:
            close_old_connections()
    return ran


def start_clock(tick: float = 5.0) -> threading.Thread:
    """Start the daemon thread that runs due sweeps every `tick` seconds."""

    def loop() -> None:
        while True:
            run_due()
            time.sleep(tick)

    thread = threading.Thread(target=loop, name="connective-clock", daemon=True)
    thread.start()
    return thread
