"""A list of ids as ONE query parameter: a subquery over a JSON array.

`pk__in=[...]` with a few thousand ids costs the ORM a placeholder and a value preparation per
id (and differs in SQL text for every length, so no statement is ever re-used); as a JSON array
it is one parameter, and SQLite (`json_each`) and PostgreSQL (`jsonb_array_elements_text`) turn
it back into rows. Every id goes through int() before it is written into the array.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL


def id_list_sql(vendor: str | None = None) -> str:
    """The subquery's SQL, with one `%s` for the JSON array."""
    if (vendor or connection.vendor) == "postgresql":
        return "SELECT jsonb_array_elements_text(%s::jsonb)::bigint"
    return "SELECT value FROM json_each(%s)"


def id_json(ids: Iterable[int]) -> str:
    """The ids as a JSON array of integers (each goes through int(): nothing else gets in)."""
    return json.dumps([int(pk) for pk in ids])


def id_list(ids: Iterable[int]) -> RawSQL:
    """A subquery of the ids, for `field__in=id_list(ids)`."""
    return RawSQL(id_list_sql(), [id_json(ids)], output_field=IntegerField())
