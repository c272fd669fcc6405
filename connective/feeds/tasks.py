"""Background tasks of the feeds app (django-tasks); the rows they touch are the truth."""

from django_tasks import task


@task()
def poll_feed_task(feed_id: int) -> None:
    """Poll one feed (claimed by the sweep)."""
    from connective.feeds.services.polling import poll_feed

    poll_feed(feed_id)


@task()
def opml_import_task(import_id: int) -> None:
    """Work through an OPML import's outlines."""
    from connective.feeds.services.opml import run_import

    run_import(import_id)
