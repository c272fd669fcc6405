"""Discussion spaces (forums): spaces, memberships, threads, subscriptions, moderation."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    """The spaces app."""

    name = "connective.spaces"
    label = "spaces"
    verbose_name = "Spaces"

    def ready(self) -> None:
        """Keep threads, last activity and followers' notifications current as posts appear;
        finish deleting big spaces in the worker."""
        from connective.core import events, periodic
        from connective.spaces.services.deletion import purge_deleted_spaces
        from connective.spaces.services.threads import on_post_published

        events.subscribe(events.POST_PUBLISHED, on_post_published)
        # A big space is deleted a step at a time by the worker (services/deletion.py).
        periodic.register("spaces.purge_deleted", purge_deleted_spaces, every=60)
