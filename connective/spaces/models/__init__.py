"""Spaces models."""

from connective.spaces.models.moderation import JoinRequest, ModerationAction
from connective.spaces.models.space import Membership, Space
from connective.spaces.models.thread import SpaceSubscription, Thread, ThreadSubscription

__all__ = [
    "JoinRequest",
    "Membership",
    "ModerationAction",
    "Space",
    "SpaceSubscription",
    "Thread",
    "ThreadSubscription",
]
