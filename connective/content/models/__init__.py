"""Content models."""

from connective.content.models.post import Kind, Post, Visibility
from connective.content.models.useful import Useful

__all__ = ["Kind", "Post", "Useful", "Visibility"]
