"""Content models."""

from connective.content.models.boost import Boost
from connective.content.models.post import Kind, Post, State, Visibility
from connective.content.models.useful import Useful

__all__ = ["Boost", "Kind", "Post", "State", "Useful", "Visibility"]
