"""Outside feeds in (RSS/Atom subscriptions, polling, OPML) and feeds out (syndication)."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """The feeds app."""

    name = "connective.feeds"
    label = "feeds"
    verbose_name = "Feeds"
