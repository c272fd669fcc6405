"""Discussion spaces (forums): spaces, memberships, threads, subscriptions, moderation."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    """The spaces app."""

    name = "connective.spaces"
    label = "spaces"
    verbose_name = "Spaces"
