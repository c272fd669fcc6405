"""Build a query's SQL with the ORM once per shape, then run it with each request's values.

Building and compiling the home stream's walk (the visibility rule, the sources, the time
bounds: about fifty filters) cost the ORM more than the database spent running it
(docs/performance.md). The SQL of such a query depends only on its shape (filters present or
not, the LIMIT); the values that change from request to request travel as parameters. So
the query is built once per shape with sentinel values (numbers and times nothing real
uses), the parameter positions that hold a sentinel are noted, and later requests fill them
in. The SQL always comes from the ORM and the same code (`visible_to` included), so a change
there is picked up when the process starts.

A shape is only kept when every sentinel appears as a parameter and none was written into
the SQL text; otherwise the query is built the usual way every time.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections, models
from django.db.models import QuerySet

from connective.core.idlist import IdArray, id_json

# Sentinels: negative ids and instants in 1901, which no row carries.
_BASE_ID = -7_300_000_000
_BASE_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


@dataclass(frozen=True)
class Prepared:
    """A compiled query: SQL, its parameters, and which of them are filled per request."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]
    kinds: Mapping[str, type]
    # How rows come back: each column's converters, and where a model's fields are.
    converters: tuple[tuple[int, tuple, Any], ...] = ()
    model_columns: tuple[int, int, tuple[str, ...]] | None = None

    def run(self, model: type[models.Model], values: Mapping[str, Any], using: str) -> list:
        """The rows for these values, as model instances (missing columns are deferred)."""
        if self.model_columns is None:
            params = self.bind(values, using)
            return list(model._default_manager.db_manager(using).raw(self.sql, params))
        start, end, names = self.model_columns
        return [model.from_db(using, names, row[start:end]) for row in self.fetch(values, using)]

    def fetch(self, values: Mapping[str, Any], using: str) -> list[tuple]:
        """The rows for these values, each column converted as the ORM converts it."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(values, using))
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        out = []
        for row in rows:
            row = list(row)
            for pos, convs, expression in self.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            out.append(tuple(row))
        return out

    def bind(self, values: Mapping[str, Any], using: str) -> list[Any]:
        """The parameters with this request's values in the sentinels' places."""
        params = list(self.params)
        for index, name in self.slots:
            params[index] = _adapted(values[name], self.kinds[name], using)
        return params


class Statements:
    """Prepared queries by shape, each built on first use (at most `limit` kept)."""

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self._by_shape: dict[tuple, Prepared | None] = {}

    def get(
        self,
        shape: tuple,
        build: Callable[[Mapping[str, Any]], QuerySet],
        values: Mapping[str, Any],
        using: str,
    ) -> Prepared | None:
        """The prepared query for `shape` (None if it cannot be kept: build it each time)."""
        key = (using, *shape)
        try:
            return self._by_shape[key]
        except KeyError:
            pass
        kinds = {name: type(value) for name, value in values.items()}
        prepared = prepare(build, kinds, using)
        if len(self._by_shape) >= self.limit:  # another thread may clear too: no harm
            self._by_shape.clear()
        self._by_shape[key] = prepared
        return prepared

    def clear(self) -> None:
        """Forget every prepared query (tests that change how a query is built)."""
        self._by_shape.clear()


def sentinels(kinds: Mapping[str, type]) -> dict[str, Any]:
    """A distinct sentinel for each named value (an int id, an aware datetime, or an IdArray
    for `in_ids`, which is one parameter whatever its length)."""
    out: dict[str, Any] = {}
    for number, (name, kind) in enumerate(sorted(kinds.items()), start=1):
        if kind is datetime:
            out[name] = _BASE_TIME + timedelta(seconds=number, microseconds=number)
        elif kind is int:
            out[name] = _BASE_ID - number
        elif kind is IdArray:
            out[name] = IdArray((_BASE_ID - number,))
        else:
            raise TypeError(f"no sentinel for {kind!r}")
    return out


def prepare(
    build: Callable[[Mapping[str, Any]], QuerySet], kinds: Mapping[str, type], using: str
) -> Prepared | None:
    """Compile `build(sentinels)` and note where each sentinel went; None if it cannot be kept."""
    marks = sentinels(kinds)
    compiler = build(marks).query.get_compiler(using)
    sql, params = compiler.as_sql()
    adapted = {name: _adapted(mark, kinds[name], using) for name, mark in marks.items()}
    by_value = {_key(value): name for name, value in adapted.items()}
    slots = tuple(
        (index, by_value[_key(param)])
        for index, param in enumerate(params)
        if _key(param) in by_value
    )
    found = {name for _, name in slots}
    written_in = any(str(_plain(value)) in sql for value in adapted.values())
    if found != set(marks) or written_in:
        return None
    return Prepared(sql, tuple(params), slots, dict(kinds), *_reading(compiler))


def _adapted(value: Any, kind: type, using: str) -> Any:
    """A value as the compiled query's parameters hold it."""
    if kind is datetime:
        return connections[using].ops.adapt_datetimefield_value(value)
    if kind is IdArray:
        return id_json(value, connections[using].vendor)
    return value


def _reading(compiler: Any) -> tuple[tuple, tuple[int, int, tuple[str, ...]] | None]:
    """Each column's converters and, for a plain model query, where its fields are.

    What Django's own model iterable works out for every query, worked out once.
    """
    if compiler.query.combinator or not compiler.select:
        return (), None
    found = compiler.get_converters([column for column, _, _ in compiler.select])
    converters = tuple((pos, tuple(convs), expr) for pos, (convs, expr) in found.items())
    info = compiler.klass_info
    if not info or info.get("related_klass_infos") or compiler.annotation_col_map:
        return converters, None
    fields = info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = tuple(column.target.attname for column, _, _ in compiler.select[start:end])
    return converters, (start, end, names)


def _key(value: Any) -> tuple[str, Any]:
    """Compare parameters by type as well as value (1 is not True, "1" is not 1)."""
    try:
        hash(value)
    except TypeError:
        return ("unhashable", id(value))
    return (type(value).__name__, value)


def _plain(value: Any) -> Any:
    """How a sentinel would look if it had been written into the SQL text."""
    return abs(value) if isinstance(value, int) else value


def row_by_key(
    statements: Statements, model: type[models.Model], field: str, value: int
) -> Any | None:
    """The row of `model` whose `field` (a unique key) is `value`, or None, by a query prepared
    once: for the lookups every request or poll makes (the viewer, a feed)."""
    values = {"key": value}
    manager = model._default_manager

    def build(marks: Mapping[str, Any]) -> QuerySet:
        return manager.filter(**{field: marks["key"]}).order_by()[:1]

    using = manager.db
    prepared = statements.get(("row-by-key", model._meta.label, field), build, values, using)
    found = list(build(values)) if prepared is None else prepared.run(model, values, using)
    return found[0] if found else None
