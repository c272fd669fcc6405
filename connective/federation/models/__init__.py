"""Federation models: inbox activities, deliveries, inbox health, moderation, boosts."""

from connective.federation.models.boost import Boost
from connective.federation.models.delivery import Delivery, HostHealth, InboxHealth
from connective.federation.models.inbox import InboxActivity
from connective.federation.models.moderation import DomainBlock, Report

__all__ = [
    "Boost",
    "Delivery",
    "DomainBlock",
    "HostHealth",
    "InboxActivity",
    "InboxHealth",
    "Report",
]
