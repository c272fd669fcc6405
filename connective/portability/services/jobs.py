"""Export and import as jobs: a row with a state that a task moves forward.

A job row is the truth. Running a job twice is safe: a finished job is left alone, and an
import that was applied is never applied again (its posts and connections would be "already
there" anyway). Progress is written to the row as the job goes, for the page to poll.
"""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.portability.models import ExportJob, ImportJob, JobState
from connective.portability.services.apply import apply_plan, preview
from connective.portability.services.archive import ArchiveError
from connective.portability.services.export import write_archive
from connective.portability.services.importing import plan_file
from connective.portability.services.progress import JobProgress

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 500 * 1024 * 1024


def start_export(person: Person) -> ExportJob:
    """A new export job, unless one is already waiting or running."""
    running = ExportJob.objects.filter(
        person=person, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    return running or ExportJob.objects.create(person=person)


def run_export(job_id: int) -> ExportJob:
    """Write the archive for a queued export job (a no-op for a finished one)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("person").get(pk=job_id)
        if job.state != JobState.QUEUED:  # done, failed, or another task runs it
            return job
        job.state, job.touched_at = JobState.RUNNING, timezone.now()
        job.save(update_fields=["state", "touched_at"])
    try:
        with tempfile.TemporaryFile() as tmp:
            write_archive(job.person, tmp, JobProgress(ExportJob, job.pk))
            tmp.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            job.archive.save(f"{job.person.handle}-{stamp}.zip", File(tmp), save=False)
    except Exception as exc:  # a failed export says so instead of spinning for ever
        log.exception("export %s failed", job.pk)
        return _fail(job, f"The export failed: {exc.__class__.__name__}.")
    job.state, job.finished_at = JobState.DONE, timezone.now()
    job.save(update_fields=["archive", "state", "finished_at"])
    notify(
        job.person,
        None,
        Notification.Kind.EXPORT_READY,
        url="/settings/move/",
        object_key=f"export:{job.pk}",
    )
    return job


def _fail(job, reason: str):
    job.state, job.error, job.finished_at = JobState.FAILED, reason[:500], timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job


def start_import(person: Person, upload: UploadedFile) -> ImportJob:
    """Keep the uploaded file as a new import job, to be checked before anything changes."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ArchiveError("The file is too large to import.")
    job = ImportJob(person=person, source="", file_name=(upload.name or "upload")[:200])
    job.upload.save(f"import-{person.pk}-{timezone.now():%Y%m%d%H%M%S}", upload, save=False)
    job.save()
    return job


def check_import(job_id: int) -> ImportJob:
    """Read and check the uploaded file; store the preview; nothing else changes."""
    job = ImportJob.objects.select_related("person").get(pk=job_id)
    if job.state != JobState.QUEUED:
        return job
    try:
        with job.upload.open("rb") as source:
            plan, _zf = plan_file(source, job.file_name)
            job.preview = preview(job.person, plan)
    except ArchiveError as exc:
        return _fail(job, str(exc))
    except Exception as exc:  # a failed check says so instead of being retried for ever
        log.exception("checking import %s failed", job.pk)
        return _fail(job, f"The file could not be checked: {exc.__class__.__name__}.")
    job.source, job.state = plan.source, JobState.READY
    job.save(update_fields=["source", "state", "preview"])
    return job


def apply_import(job_id: int) -> ImportJob:
    """Apply a checked import (once); store the report and tell the person."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("person").get(pk=job_id)
        if job.state != JobState.READY:
            return job
        job.state, job.touched_at = JobState.RUNNING, timezone.now()
        job.save(update_fields=["state", "touched_at"])
    try:
        with job.upload.open("rb") as source, JobProgress(ImportJob, job.pk) as progress:
            plan, zf = plan_file(source, job.file_name)
            job.report = apply_plan(job.person, plan, zf, progress)
    except ArchiveError as exc:
        return _fail(job, str(exc))
    except Exception as exc:  # the transaction left nothing behind; say so, do not spin
        log.exception("import %s failed", job.pk)
        return _fail(job, f"The import failed: {exc.__class__.__name__}.")
    job.state, job.finished_at = JobState.DONE, timezone.now()
    job.save(update_fields=["state", "report", "finished_at"])
    notify(
        job.person,
        None,
        Notification.Kind.IMPORT_DONE,
        url=f"/settings/move/import/{job.pk}/",
        data={"summary": summary(job.report)},
        object_key=f"import:{job.pk}",
    )
    return job


def summary(report: dict) -> str:
    """One line for a report: "2 connections added, 4 posts added, 1 person kept to find"."""
    parts = []
    for group, outcomes in (report.get("counts") or {}).items():
        for outcome, n in outcomes.items():
            parts.append(f"{n} {group} {outcome}")
    return ", ".join(parts) or "nothing to add"


def resume_stalled(stalled_after_minutes: int = 30) -> int:
    """Re-queue jobs a dead worker left behind (a sweep): waiting jobs whose task was lost,
    and running ones that showed no sign of life (start, progress) for a while; a job that
    started long after it was created (an import confirmed the next day) is not one of them.
    Safe to repeat: finished jobs are never touched."""
    from datetime import timedelta

    from connective.portability.tasks import apply_import_task, check_import_task, export_task

    now = timezone.now()
    waiting = now - timedelta(minutes=2)
    stalled = now - timedelta(minutes=stalled_after_minutes)
    count = 0
    for job in ExportJob.objects.filter(state=JobState.QUEUED, created_at__lt=waiting):
        export_task.enqueue(job.pk)
        count += 1
    for job in ExportJob.objects.filter(state=JobState.RUNNING, touched_at__lt=stalled):
        ExportJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(state=JobState.QUEUED)
        export_task.enqueue(job.pk)
        count += 1
    for pk in ImportJob.objects.filter(state=JobState.QUEUED, created_at__lt=waiting).values_list(
        "pk", flat=True
    ):
        check_import_task.enqueue(pk)
        count += 1
    # An import applies in one transaction: one that died left nothing, so it may run again.
    running = ImportJob.objects.filter(state=JobState.RUNNING, touched_at__lt=stalled)
    for pk in running.values_list("pk", flat=True):
        ImportJob.objects.filter(pk=pk, state=JobState.RUNNING).update(state=JobState.READY)
        apply_import_task.enqueue(pk)
        count += 1
    return count
