"""A list of ids as ONE query parameter: a subquery over an array of them.

`pk__in=[...]` with a few thousand ids costs the ORM a placeholder and a value preparation per
id (and differs in SQL text for every length, so no statement is ever re-used); as one parameter
it is one value, which the database turns back into rows: SQLite with `json_each` over a JSON
array, PostgreSQL with `unnest` over an array literal (a constant there, so the planner knows how
many ids there are: it seq-scanned 100,000 people for 500 ids it took for 100 through a JSON
function). Every id goes through int() before it is written into the parameter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL


def id_list_sql(vendor: str | None = None) -> str:
    """The subquery's SQL, with one `%s` for the parameter `id_json` makes."""
    if (vendor or connection.vendor) == "postgresql":
        return "SELECT unnest(%s::bigint[])"
    return "SELECT value FROM json_each(%s)"


def id_json(ids: Iterable[int], vendor: str | None = None) -> str:
    """The ids as the parameter `id_list_sql` reads: a JSON array, or a PostgreSQL array."""
    values = [int(pk) for pk in ids]
    if (vendor or connection.vendor) == "postgresql":
        return "{" + ",".join(map(str, values)) + "}"
    return json.dumps(values)


def id_list(ids: Iterable[int]) -> RawSQL:
    """A subquery of the ids, for `field__in=id_list(ids)`."""
    return RawSQL(id_list_sql(), [id_json(ids)], output_field=IntegerField())
