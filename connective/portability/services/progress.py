"""Progress of a job, written where its page can read it while the job's transaction is open."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.utils import timezone


class JobProgress:
    """Writes done/total to a job row, as a callable `progress(done, total)`.

    An import writes in one transaction, and what it writes there (its progress too) is seen by
    others only when it commits. On PostgreSQL the progress therefore goes through a second
    connection of its own, committed at once; it never waits for a lock (a row another
    transaction holds is skipped). On SQLite the import holds the one write lock, so the page
    shows the progress of the look-ups and then the end.
    """

    def __init__(self, model: type[Model], pk: int) -> None:
        self.table = model._meta.db_table
        self.model = model
        self.pk = pk
        self.side: Any = None

    def __call__(self, done: int, total: int) -> None:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            self._write_aside(done, total)
        else:
            self.model._default_manager.filter(pk=self.pk).update(
                done_items=done, total_items=total, touched_at=timezone.now()
            )

    def _write_aside(self, done: int, total: int) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.side.ops.quote_name(self.table)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done_items = %s, total_items = %s, touched_at = %s "  # noqa: S608
                f"WHERE id = (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [done, total, timezone.now(), self.pk],
            )

    def close(self) -> None:
        """Close the second connection, if one was opened."""
        if self.side is not None:
            self.side.close()
            self.side = None

    def __enter__(self) -> JobProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
