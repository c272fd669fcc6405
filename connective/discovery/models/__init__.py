"""Discovery models: opting out of suggestions, "not interested" marks, saved map snapshots."""

from connective.discovery.models.preference import DiscoveryPreference, Dismissal
from connective.discovery.models.snapshot import MapSnapshot

__all__ = ["DiscoveryPreference", "Dismissal", "MapSnapshot"]
