"""Discussion spaces (forums): spaces, memberships, threads, subscriptions, moderation."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    """The spaces app."""

    name = "connective.spaces"
    label = "spaces"
    verbose_name = "Spaces"

    def ready(self) -> None:
        """Keep threads, last activity and followers' notifications current as posts appear."""
        from connective.core import events
        from connective.spaces.services.threads import on_post_published

        events.subscribe(events.POST_PUBLISHED, on_post_published)
