"""Spaces models."""

from connective.spaces.models.space import Membership, Space

__all__ = ["Membership", "Space"]
