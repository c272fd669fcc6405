"""`connective reindex`: rebuild the search index from the tables."""

from typing import Any

from django.core.management.base import BaseCommand

from connective.search.services.index import reindex_all


class Command(BaseCommand):
    """Rebuild the whole search index, in batches, printing how many of each kind."""

    help = "Rebuild the search index (people, posts, spaces, courses) from the database."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(source: str, count: int) -> None:
            self.stdout.write(f"{source}: {count} indexed")

        counts = reindex_all(progress)
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {sum(counts.values())} documents.")
        )
