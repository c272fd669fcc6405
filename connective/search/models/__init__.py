"""Search models."""

from connective.search.models.document import DocKind, SearchDocument, Source

__all__ = ["DocKind", "SearchDocument", "Source"]
