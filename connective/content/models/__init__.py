"""Content models."""

from connective.content.models.post import Kind, Post, State, Visibility
from connective.content.models.useful import Useful

__all__ = ["Kind", "Post", "State", "Useful", "Visibility"]
