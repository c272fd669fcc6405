"""Export and import jobs: rows with a state, so a job survives a worker restart."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from connective.content.storage import private_storage


class JobState(models.TextChoices):
    """Where a job stands."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    READY = "ready", "Checked, waiting for confirmation"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """What every job row has: its state, its progress, and why it failed."""

    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    done_items = models.PositiveIntegerField(default=0)
    total_items = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # its last sign of life (started, made progress): a running job silent for long is stalled
    touched_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        """Progress as a whole percentage."""
        if self.state == JobState.DONE:
            return 100
        return min(99, self.done_items * 100 // self.total_items) if self.total_items else 0


class ExportJob(Job):
    """One export of a person's whole network into a zip archive."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="export_jobs"
    )
    archive = models.FileField(upload_to="exports/", blank=True, storage=private_storage)

    def __str__(self) -> str:
        return f"Export for {self.person} ({self.state})"


class ImportJob(Job):
    """One import: the uploaded file, what the check found, and the report once applied."""

    class Source(models.TextChoices):
        CONNECTIVE = "connective", "A Connective archive"
        MASTODON = "mastodon", "A Mastodon export"
        OPML = "opml", "An OPML list of feeds"

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="import_jobs"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    upload = models.FileField(upload_to="imports/", storage=private_storage)
    file_name = models.CharField(max_length=200, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Import for {self.person} ({self.state})"


class UnresolvedContact(models.Model):
    """Someone from an imported network we could not (yet) find: kept with the purpose, never
    dropped, listed for the owner to resolve or remove."""

    owner = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="unresolved_contacts"
    )
    address = models.CharField(max_length=500, help_text="The best address: handle@host or URI.")
    name = models.CharField(max_length=200, blank=True)
    addresses = models.JSONField(default=list, blank=True)
    purpose = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "address"], name="unresolved_once"),
        ]

    def __str__(self) -> str:
        return self.address
