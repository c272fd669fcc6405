"""An outside feed (one row per URL, whoever subscribes), its items and its fetch log."""

from __future__ import annotations

from django.db import models


class Feed(models.Model):
    """An RSS or Atom feed we poll; its row is the truth about its schedule and health."""

    class Status(models.TextChoices):
        NEW = "new", "Not fetched yet"
        OK = "ok", "Working"
        FAILING = "failing", "Temporarily failing"
        BROKEN = "broken", "Keeps failing"

    url = models.URLField(max_length=500, unique=True, help_text="The feed's own address.")
    site_url = models.URLField(max_length=500, blank=True, help_text="The site it belongs to.")
    title = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    licence = models.CharField(max_length=16, blank=True, help_text="When the feed states one.")
    source = models.OneToOneField(
        "accounts.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_feed",
        help_text="The Person (actor_type Feed) that authors this feed's items.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    last_error = models.CharField(max_length=500, blank=True)
    failure_count = models.PositiveIntegerField(default=0)
    failing_notified = models.BooleanField(
        default=False, help_text="Subscribers were told this failing episode."
    )
    interval = models.PositiveIntegerField(default=3600, help_text="Seconds between polls.")
    next_poll_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A poll is running until then (a lease)."
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_new_item_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def name(self) -> str:
        """What to call the feed: its title, or its address."""
        return self.title or self.url

    @property
    def healthy(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.OK)


class FeedItem(models.Model):
    """One entry of a feed, stored as a Post by the feed's source; keys for de-duplication."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="feed_item")
    key_hash = models.CharField(max_length=64, help_text="sha256 of its id (or link, or content).")
    link_hash = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64)
    guid = models.CharField(max_length=500, blank=True)
    link = models.URLField(max_length=2000, blank=True)
    categories = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "key_hash"], name="feeditem_unique_key"),
        ]
        indexes = [
            models.Index(fields=["feed", "link_hash"], name="feeditem_link"),
            models.Index(fields=["feed", "content_hash"], name="feeditem_content"),
        ]

    def __str__(self) -> str:
        return self.link or self.guid


class FetchLog(models.Model):
    """One poll of a feed: what came back and what it did (the last few are kept)."""

    class Outcome(models.TextChoices):
        NEW = "new", "New or updated items"
        UNCHANGED = "unchanged", "Nothing new"
        NOT_MODIFIED = "not_modified", "Not modified (304)"
        ERROR = "error", "Error"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetch_log")
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    new_items = models.PositiveIntegerField(default=0)
    updated_items = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["feed", "-at"], name="fetchlog_feed_at")]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.outcome} {self.at:%Y-%m-%d %H:%M}"
