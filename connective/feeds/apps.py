"""Outside feeds in (RSS/Atom subscriptions, polling, OPML) and feeds out (syndication)."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """The feeds app: its polling sweep runs under `connective worker`."""

    name = "connective.feeds"
    label = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from connective.core import periodic
        from connective.feeds.services.opml import resume_imports
        from connective.feeds.services.polling import poll_due

        periodic.register("feeds.poll_due", poll_due, every=30)
        periodic.register("feeds.resume_imports", resume_imports, every=120)
