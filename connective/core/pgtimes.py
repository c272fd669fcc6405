"""PostgreSQL's times read by Python's own ISO parser, written in C.

Django reads every `timestamptz` through a loader of its own that subclasses psycopg's loader
written in Python (a regular expression and a dozen integer conversions per value), because it
must set the zone; psycopg's C loader cannot be subclassed. The map of a network of 500 read
3,000 times and a search's candidates 500-1,000: 3-4 µs each. Our connections talk to the
server in UTC (Django sets the session's zone), where each time arrives as
`2026-11-29 19:00:00.123456+00`, which `datetime.fromisoformat` reads in a tenth of that time,
as the same value with the same zone (`datetime.timezone.utc`, which Django sets on it).

Anything else (another zone, a date before the common era, infinity) goes to Django's loader,
as before. The loader is only installed on a connection whose Django zone is UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db.backends.signals import connection_created


def register() -> None:
    """Install the loader on each new PostgreSQL connection (core's AppConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="connective.core.pgtimes")


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", utc_loader())


@cache
def utc_loader() -> type:
    """The loader class (made on first use: psycopg is only imported for PostgreSQL)."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class UtcTimestamptzLoader(BaseTzLoader):  # type: ignore[misc,valid-type]
        """Django's UTC loader, with a fast way for what a UTC session sends."""

        timezone = UTC  # what Django compares with its own before each cursor

        def load(self, data: Any) -> datetime:
            text = bytes(data).decode()
            if text.endswith("+00"):
                try:
                    return datetime.fromisoformat(text)
                except ValueError:
                    pass
            return super().load(data)  # type: ignore[no-any-return]

    return UtcTimestamptzLoader
