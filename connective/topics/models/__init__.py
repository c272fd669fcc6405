"""Topic models."""

from connective.topics.models.topic import Topic

__all__ = ["Topic"]
