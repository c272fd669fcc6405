"""A person's subscription to a feed, and OPML imports."""

from __future__ import annotations

from django.db import models

from connective.feeds.models.feed import Feed


class Subscription(models.Model):
    """A person follows a feed; optionally it is someone's blog, about a topic, or their own."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="feed_subscriptions"
    )
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="subscriptions")
    title = models.CharField(max_length=200, blank=True, help_text="My own name for it.")
    attached_person = models.ForeignKey(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attached_feeds",
        help_text="Whose blog this is (someone in my network).",
    )
    topic = models.ForeignKey(
        "topics.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused = models.BooleanField(default=False)
    own_blog = models.BooleanField(
        default=False, help_text="This is my own blog: tagged posts count as course evidence."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "feed"], name="subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.feed_id}"

    @property
    def name(self) -> str:
        """My name for the feed, or its own title."""
        return self.title or self.feed.name


class OpmlImport(models.Model):
    """An OPML import: its outlines, how far it got, and what happened to each."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    outlines = models.JSONField(default=list, help_text="[{url, title}] still to import.")
    results = models.JSONField(default=list, help_text="[{url, title, outcome, reason}].")
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(
        auto_now=True, help_text="When it last saved progress: a running import is left alone."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"OPML import {self.pk} ({self.status})"

    @property
    def done(self) -> int:
        return len(self.results)

    def count(self, outcome: str) -> int:
        """How many outlines ended with this outcome (added, existing, rejected)."""
        return sum(1 for r in self.results if r.get("outcome") == outcome)
