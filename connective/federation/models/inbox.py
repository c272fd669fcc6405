"""A verified activity that arrived in an inbox: the row that makes replays idempotent."""

from django.db import models


class InboxActivity(models.Model):
    """A verified inbound activity; its unique `activity_id` lets it take effect once."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored (nothing to do)"
        FAILED = "failed", "Failed"

    activity_id = models.CharField(max_length=500, unique=True)
    actor_uri = models.CharField(max_length=500, db_index=True)
    type = models.CharField(max_length=64)
    raw = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "inbox activities"
        indexes = [
            models.Index(fields=["type", "actor_uri"], name="inbox_type_actor"),
            # What the drain and the sweep look for: the rows still waiting, oldest first. Only
            # those are in it, so it stays small however many processed rows the table keeps.
            models.Index(
                fields=["received_at", "id"],
                name="inbox_waiting",
                condition=models.Q(processed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.activity_id}"
