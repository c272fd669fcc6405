"""A list of ids as ONE query parameter, and the `in_ids` lookup that reads it.

`pk__in=[...]` with a few thousand ids costs the ORM a placeholder and a value preparation per
id (and differs in SQL text for every length, so no statement is ever re-used); as one parameter
it is one value the database reads as a list:
- SQLite: `IN (SELECT value FROM json_each(?))` over a JSON array;
- PostgreSQL: `= ANY(%s::bigint[])` over an array literal. Not `IN (SELECT unnest(…))`: the
  planner guesses 200 rows for that subquery's distinct values and, with a `NOT IN` subquery
  beside it, seq-scanned 100,000 people and hash-joined them to 500 ids (70 ms instead of 2);
  `= ANY` of a constant array is a plain index scan whose row count the planner knows.
`field__in_ids=IdArray(ids)` is the lookup (registered on every field by the core app);
`id_match_sql` writes the same condition into raw SQL. Every id goes through int() first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignObject, Lookup


def id_json(ids: Iterable[int], vendor: str | None = None) -> str:
    """The ids as one parameter: a JSON array (SQLite), or a PostgreSQL array literal."""
    values = [int(pk) for pk in ids]
    if (vendor or connection.vendor) == "postgresql":
        return "{" + ",".join(map(str, values)) + "}"
    return json.dumps(values)


def id_match_sql(column: str, vendor: str | None = None) -> str:
    """`column` is one of the ids, with one `%s` for the parameter `id_json` makes."""
    if (vendor or connection.vendor) == "postgresql":
        return f"{column} = ANY(%s::bigint[])"
    return f"{column} IN (SELECT value FROM json_each(%s))"


class IdArray:
    """Ids handed to `in_ids` as one value. A plain list or tuple works too, but the ORM walks
    a list's items one by one before any lookup sees it, looking for expressions (3,000 calls
    for a request's few id lists); this wrapper is one opaque value."""

    __slots__ = ("ids",)

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids = tuple(int(pk) for pk in ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class InIds(Lookup):
    """`field__in_ids=IdArray(ids)`: the field is one of `ids`, as one parameter."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return self.rhs.ids if isinstance(self.rhs, IdArray) else tuple(int(pk) for pk in self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        payload = id_json(self.rhs, connection.vendor)
        return id_match_sql(lhs, connection.vendor), (*lhs_params, payload)


def register() -> None:
    """Make `in_ids` a lookup of every field, foreign keys included (a relation's lookups are
    its own: it does not inherit Field's); the core app does this when it is ready."""
    Field.register_lookup(InIds)
    ForeignObject.register_lookup(InIds)
