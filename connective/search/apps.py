"""Full-text search over people and content: one interface, SQLite FTS5 and PostgreSQL backends."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search app: it keeps its index in step by subscribing to the lower layers' events."""

    name = "connective.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from connective.core import events
        from connective.search.services import feed_items, index

        for event, subscriber in (
            (events.POST_PUBLISHED, index.index_post),
            (events.POST_EDITED, index.index_post),
            (events.POSTS_IMPORTED, index.index_posts),
            (events.FEED_ITEMS_STORED, feed_items.index_feed_items),
            (events.FEED_ITEM_CHANGED, feed_items.reindex_feed_item),
            (events.POST_DELETED, index.remove_post),
            (events.PERSON_CREATED, index.index_person),
            (events.PERSON_UPDATED, index.index_person),
            (events.PERSON_DELETED, index.remove_account),
            (events.SPACE_CHANGED, index.index_space),
            (events.SPACE_DELETED, index.remove_space),
            (events.COURSE_CHANGED, index.index_course),
            (events.COURSE_DELETED, index.remove_course),
        ):
            events.subscribe(event, subscriber)
