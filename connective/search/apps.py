"""Full-text search over people and content: one interface, SQLite FTS5 and PostgreSQL backends."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search app."""

    name = "connective.search"
    label = "search"
    verbose_name = "Search"
