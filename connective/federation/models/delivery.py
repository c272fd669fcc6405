"""Outgoing deliveries (one row per activity and inbox); the health of inboxes and hosts."""

from django.db import models


class Delivery(models.Model):
    """One signed POST of one activity to one inbox; the row is the truth, the task only runs it."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Delivered"
        FAILED = "failed", "Failed (gave up)"
        GONE = "gone", "Gone (410)"

    activity_id = models.CharField(max_length=500)
    activity = models.JSONField()
    sender = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="deliveries"
    )
    inbox_url = models.URLField(max_length=500)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["activity_id", "inbox_url"], name="delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.inbox_url} ({self.state})"


class InboxHealth(models.Model):
    """What we know of one remote inbox: gone (410, final) or failing."""

    url = models.URLField(max_length=500, unique=True)
    host = models.CharField(max_length=253, db_index=True)
    gone_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "inbox health"

    def __str__(self) -> str:
        return self.url


class HostHealth(models.Model):
    """A remote host's run of failures; while `open_until` is ahead, deliveries there wait."""

    host = models.CharField(max_length=253, unique=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "host health"

    def __str__(self) -> str:
        return self.host
