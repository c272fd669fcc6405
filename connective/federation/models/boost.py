"""Boosts moved down to content (docs/architecture.md, "Boosts"): `content.Boost`.

Kept as a name so `connective.federation.models.Boost` still means the one Boost model.
"""

from connective.content.models import Boost

__all__ = ["Boost"]
