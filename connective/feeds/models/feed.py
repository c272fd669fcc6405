"""An outside feed (one row per URL, whoever subscribes), its items and its fetch log."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse

from connective.content.licences import Licence, licence_for


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
    not_modified_count = models.PositiveIntegerField(
        default=0,
        help_text="Polls answered “not modified” since the last one in the fetch log.",
    )
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
    """One entry of a feed, stored as it is shown: the stream and search read these rows.

    An item becomes a Post (by the feed's source, unlisted) only when someone acts on it: marks it
    useful or replies (services/materialize.py). Until then it costs one row and its search
    document, which is what lets a poll store fifty items in a few milliseconds.
    """

    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="items", db_index=False
    )  # the unique (feed, key_hash) index serves every lookup by feed
    post = models.OneToOneField(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feed_item",
        help_text="The post made of it when someone acted on it (useful, a reply).",
    )
    key_hash = models.CharField(max_length=64, help_text="sha256 of its id (or link, or content).")
    link_hash = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64)
    guid = models.CharField(max_length=500, blank=True)
    link = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitised summary or content.")
    licence = models.CharField(max_length=16, blank=True)
    categories = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(help_text="Where it sits in streams: published, else first seen.")
    fetched_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "key_hash"], name="feeditem_unique_key"),
        ]
        indexes = [
            models.Index(fields=["feed", "link_hash"], name="feeditem_link"),
            models.Index(fields=["feed", "content_hash"], name="feeditem_content"),
            models.Index(fields=["feed", "at", "id"], name="feeditem_feed_at"),
        ]

    def __str__(self) -> str:
        return self.link or self.guid

    def get_absolute_url(self) -> str:
        return reverse("feeds:item", kwargs={"pk": self.pk})

    @property
    def link_domain(self) -> str:
        """The host of the original, for "Read on <host>"."""
        return urlsplit(self.link).hostname or ""

    @property
    def licence_info(self) -> Licence | None:
        """The Licence its feed states (None if none or unknown)."""
        return licence_for(self.licence)


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
