"""An import's progress can be read by its page while the import's transaction is open."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from connective.portability.models import ImportJob
from connective.portability.services.progress import JobProgress


def _seen_from_outside(pk: int) -> tuple[int, int]:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT done_items, total_items FROM portability_importjob WHERE id = %s", [pk]
            )
            return tuple(cursor.fetchone())  # type: ignore[return-value]
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_seen_at_once(ana):
    job = ImportJob.objects.create(person=ana, file_name="archive.zip")
    with JobProgress(ImportJob, job.pk) as progress, transaction.atomic():
        progress(40, 100)
        # SQLite: the import holds the one write lock; the page sees the look-ups, then the end
        if connection.vendor == "postgresql":
            assert _seen_from_outside(job.pk) == (40, 100)
    job.refresh_from_db()
    assert (job.done_items, job.total_items) == (40, 100)


@pytest.mark.django_db
def test_progress_never_waits_for_a_row_someone_holds(ana):
    """In a test's own transaction the job row is held: the write is skipped, not waited for."""
    job = ImportJob.objects.create(person=ana, file_name="archive.zip")
    with transaction.atomic(), JobProgress(ImportJob, job.pk) as progress:
        progress(1, 2)
    job.refresh_from_db()
    expected = (0, 0) if connection.vendor == "postgresql" else (1, 2)
    assert (job.done_items, job.total_items) == expected
