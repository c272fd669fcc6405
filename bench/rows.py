"""Insert many rows fast: one `executemany` per batch, columns taken from the model itself.

The column list comes from the model's concrete fields, so a field added later (with a
default) does not break the generator: every column we do not set gets the field's default.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

BATCH = 20_000


class Inserter:
    """Writes rows of one model: `columns` are set per row, everything else from defaults."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in columns]
        by_attname = {f.attname: f for f in fields}
        unknown = set(columns) - set(by_attname)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.columns = list(columns)
        self.fixed = [f for f in fields if f.attname not in columns]
        self.fixed_values = tuple(_default(f) for f in self.fixed)
        names = [by_attname[c].column for c in self.columns] + [f.column for f in self.fixed]
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(names))
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(n) for n in names)}) VALUES ({placeholders})"
        )

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert rows (values in `columns` order, already adapted); returns the count."""
        batch: list[tuple[Any, ...]] = []
        count = 0
        with connection.cursor() as cursor:
            for row in rows:
                batch.append((*row, *self.fixed_values))
                if len(batch) >= BATCH:
                    cursor.executemany(self.sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                count += len(batch)
        return count


def _default(field: models.Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return stamp(datetime.now().astimezone())
    value = field.get_default()
    if value is None and not field.null:
        value = ""
    return field.get_db_prep_save(value, connection)


def stamp(value: datetime) -> Any:
    """A timezone-aware datetime as the database driver wants it."""
    return connection.ops.adapt_datetimefield_value(value)
