"""Network models."""

from connective.network.models.connection import Connection, Direction
from connective.network.models.relations import Block, Mute

__all__ = ["Block", "Connection", "Direction", "Mute"]
