"""Federation models: inbox activities, deliveries, inbox health, moderation."""

from connective.federation.models.delivery import Delivery, HostHealth, InboxHealth
from connective.federation.models.inbox import InboxActivity
from connective.federation.models.moderation import DomainBlock, Report

__all__ = [
    "Delivery",
    "DomainBlock",
    "HostHealth",
    "InboxActivity",
    "InboxHealth",
    "Report",
]
