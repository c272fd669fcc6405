"""A thread's state in its space, and who follows threads and spaces."""

from __future__ import annotations

from django.db import models


class Thread(models.Model):
    """A space's thread: its first post (a titled note), whether pinned, when it last moved."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="threads")
    root = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="thread")
    pinned_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["space", "-last_activity_at"], name="thread_space_activity"),
        ]

    def __str__(self) -> str:
        return self.root.title or f"Thread {self.pk}"

    @property
    def pinned(self) -> bool:
        """Whether moderators pinned it to the top of the space."""
        return self.pinned_at is not None

    @property
    def locked(self) -> bool:
        """Whether its first post is locked (no more replies)."""
        return self.root.locked_at is not None


class ThreadSubscription(models.Model):
    """A person follows a thread: they hear of its replies."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="thread_subscriptions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "thread"], name="thread_subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.thread}"


class SpaceSubscription(models.Model):
    """A person follows a space: they hear of its new threads."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="space_subscriptions"
    )
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "space"], name="space_subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.space}"
