"""Parse untrusted JSON (inbox bodies, fetched documents) without letting it hurt the process.

Every limit is checked before or while parsing, and every failure is one of two exceptions with
a human-readable reason, so a caller answers 413 or 400 — never 500 (SECURITY.md T-18):

- the size cap is checked on the raw bytes before anything is decoded;
- the bytes must be strict UTF-8 (no BOM, no lone surrogates, no NUL characters);
- nesting deeper than MAX_DEPTH is refused (a RecursionError from the C scanner is caught too);
- integers longer than MAX_INT_DIGITS digits are refused before Python converts them;
- NaN and Infinity (not JSON) are refused;
- an object with the same key twice is refused (which of the two would count is ambiguous);
- the top level must be an object.
"""

from __future__ import annotations

import json
from typing import Any

DEFAULT_MAX_BYTES = 1_048_576  # an inbox POST; documents we fetch may be allowed 2 MB
MAX_DEPTH = 32
MAX_INT_DIGITS = 20


class JSONRejected(Exception):
    """Untrusted JSON we will not use; `reason` says why in words fit for a log or a 4xx body."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadJSON(JSONRejected):
    """Malformed or abusive JSON: answer 400."""


class TooLarge(JSONRejected):
    """A body over the size cap: answer 413."""


def parse_json(body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The JSON object in `body`, or BadJSON / TooLarge with the reason."""
    if len(body) > max_bytes:
        raise TooLarge(f"body is larger than {max_bytes} bytes")
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJSON("body is not valid UTF-8") from exc
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_object,
        )
    except RecursionError as exc:
        raise BadJSON(f"nesting deeper than {MAX_DEPTH} levels") from exc
    except BadJSON:
        raise
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise BadJSON(f"not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise BadJSON("the top level is not a JSON object")
    _check_tree(value)
    return value


def _parse_int(digits: str) -> int:
    """An integer of a sane length (a 5,000-digit one costs quadratic time to convert)."""
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BadJSON(f"an integer longer than {MAX_INT_DIGITS} digits")
    return int(digits)


def _refuse_constant(name: str) -> Any:
    """NaN, Infinity and -Infinity are not JSON."""
    raise BadJSON(f"{name} is not valid JSON")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise BadJSON(f"duplicate key {key[:64]!r}")
            seen.add(key)
    return obj


def _check_tree(root: dict[str, Any]) -> None:
    """Depth and string checks over the parsed value, without recursion."""
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadJSON(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_string(value)


def _check_string(text: str) -> None:
    """No lone surrogates (from \\ud800 escapes) and no NUL: neither can be stored or shown."""
    if "\x00" in text:
        raise BadJSON("a string contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadJSON("a string contains a lone surrogate") from exc
