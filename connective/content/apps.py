"""Content: notes, articles, resources (little OER) with licences, replies, useful marks."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Sits above network (the visibility predicate needs connections and blocks)."""

    name = "connective.content"
    label = "content"
