"""Content: notes, articles, resources (little OER) with licences, replies, useful marks."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Sits above network (the visibility predicate needs connections and blocks)."""

    name = "connective.content"
    label = "content"

    def ready(self) -> None:
        """Scheduled posts go out from the worker's clock (see core.periodic)."""
        from connective.content.services.posts import publish_due
        from connective.core import periodic

        periodic.register("content.publish_due", publish_due, every=30)
