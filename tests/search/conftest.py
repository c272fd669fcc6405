"""Helpers for the search tests: posts through the posting service, results as plain lists."""

from connective.search.services.query import search
from tests.content.conftest import connect, post  # noqa: F401 - re-exported for the tests


def found(viewer, q, **filters) -> list:
    """The objects a search returns, in order."""
    return [hit.obj for hit in search(viewer, q, **filters).hits]


def titles(viewer, q, **filters) -> list[str]:
    """What each result is called: a post's title or body start, a person's handle."""
    out = []
    for obj in found(viewer, q, **filters):
        out.append(getattr(obj, "handle", None) or getattr(obj, "title", "") or obj.body[:30])
    return out
