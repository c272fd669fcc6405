"""What a person typed, reduced to words and phrases a backend can match safely (SECURITY T-21).

Only letters and digits survive: quotes, operators (`OR`, `NEAR(`, `-`, `*`), column filters
(`title:`), `%`, `_` and regex metacharacters separate words and mean nothing. A pair of double
quotes keeps a phrase together; an unbalanced quote is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_WORDS = 12  # words beyond this are dropped: a query cannot grow the matching cost without bound
_WORD = re.compile(r"[^\W_]+")


class QueryTooLong(ValueError):
    """A query over MAX_QUERY_CHARS characters."""


@dataclass(frozen=True)
class Terms:
    """The words and phrases of a query; every one must match."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def fts5(self) -> str:
        """An FTS5 query: each word and phrase a quoted string, all required (implicit AND)."""
        parts = [f'"{w}"' for w in self.words] + [f'"{" ".join(p)}"' for p in self.phrases]
        return " ".join(parts)

    def plain(self) -> str:
        """The words as one plain string (for plainto_tsquery)."""
        return " ".join(self.words)

    def phrase_texts(self) -> list[str]:
        """Each phrase as a string (for phraseto_tsquery)."""
        return [" ".join(p) for p in self.phrases]


def parse(query: str) -> Terms:
    """Words and "quoted phrases" of `query`; QueryTooLong if it is over the cap."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"Search with at most {MAX_QUERY_CHARS} characters.")
    pieces = query.split('"')
    closed = len(pieces) - 1 if len(pieces) % 2 == 0 else len(pieces)
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    budget = MAX_WORDS
    for i, piece in enumerate(pieces):
        found = [w.lower() for w in _WORD.findall(piece)][:budget]
        budget -= len(found)
        in_phrase = i % 2 == 1 and i < closed
        if in_phrase and len(found) > 1:
            if tuple(found) not in phrases:
                phrases.append(tuple(found))
        else:
            words.extend(w for w in found if w not in words)
    return Terms(tuple(words), tuple(phrases))
