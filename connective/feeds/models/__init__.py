"""Feeds models."""

from connective.feeds.models.feed import Feed, FeedItem, FetchLog
from connective.feeds.models.subscription import OpmlImport, Subscription

__all__ = ["Feed", "FeedItem", "FetchLog", "OpmlImport", "Subscription"]
