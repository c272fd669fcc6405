"""Background work for export and import: each task moves one job row forward."""

from django_tasks import task

from connective.portability.services import jobs


@task()
def export_task(job_id: int) -> None:
    """Write an export archive."""
    jobs.run_export(job_id)


@task()
def check_import_task(job_id: int) -> None:
    """Check an uploaded file and prepare its preview."""
    jobs.check_import(job_id)


@task()
def apply_import_task(job_id: int) -> None:
    """Apply a checked import."""
    jobs.apply_import(job_id)
