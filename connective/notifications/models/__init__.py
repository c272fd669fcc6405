"""Notification models."""

from connective.notifications.models.notification import Notification

__all__ = ["Notification"]
