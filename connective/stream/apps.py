"""The home stream: posts from my connections and the topics I follow."""

from django.apps import AppConfig


class StreamConfig(AppConfig):
    """Reads content through the one visibility predicate; stores nothing of its own yet."""

    name = "connective.stream"
    label = "stream"
