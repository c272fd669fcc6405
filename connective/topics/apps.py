"""Topics: normalised tags shared by people, posts, spaces and courses."""

from django.apps import AppConfig


class TopicsConfig(AppConfig):
    """The bottom domain layer: imports only core."""

    name = "connective.topics"
    label = "topics"
