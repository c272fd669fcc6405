"""`connective feeds_reclean`: clean items stored before issue 6 as new ones are cleaned."""

from django.core.management.base import BaseCommand

from connective.feeds.services.reclean import reclean_stored_items


class Command(BaseCommand):
    """Resolve stored items' relative addresses, drop their plain-http images, set the image
    attributes (lazy, async, no Referer)."""

    help = (
        "Re-clean stored feed items: relative links and images made absolute, plain-http images "
        "dropped, images loaded lazily without a Referer. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        changed = reclean_stored_items()
        self.stdout.write(self.style.SUCCESS(f"{changed} feed item(s) cleaned."))
