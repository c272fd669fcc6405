"""A person: local or remote, the same table, addressed by a canonical URI."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from connective.core.uris import site_host


class PersonQuerySet(models.QuerySet["Person"]):
    """Queries over people."""

    def local(self) -> PersonQuerySet:
        """People with a login on this instance."""
        return self.filter(domain="")

    def active(self) -> PersonQuerySet:
        """People whose account is not suspended or deleted."""
        return self.filter(suspended_at__isnull=True)


class Person(models.Model):
    """Someone in a learning network: an ActivityStreams actor, here or on another server."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="person",
    )
    handle = models.CharField(max_length=64)
    domain = models.CharField(
        max_length=253, blank=True, default="", help_text="Empty for people on this instance."
    )
    uri = models.URLField(max_length=500, unique=True)
    url = models.URLField(max_length=500, blank=True, help_text="Profile page (remote people).")
    inbox_url = models.URLField(max_length=500, blank=True)
    shared_inbox_url = models.URLField(max_length=500, blank=True)
    outbox_url = models.URLField(max_length=500, blank=True)
    followers_url = models.URLField(max_length=500, blank=True)
    following_url = models.URLField(max_length=500, blank=True)
    actor_type = models.CharField(
        max_length=32, default="Person", help_text="The ActivityStreams actor type."
    )
    public_key_pem = models.TextField(blank=True)
    private_key_pem = models.TextField(blank=True, help_text="Local people only; never shown.")
    also_known_as = models.JSONField(default=list, blank=True)
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_from"
    )
    fetched_at = models.DateTimeField(
        null=True, blank=True, help_text="When a remote actor was last fetched."
    )
    display_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True, max_length=5000, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    interests = models.ManyToManyField("topics.Topic", blank=True, related_name="learners")
    expertise = models.ManyToManyField("topics.Topic", blank=True, related_name="helpers")
    followed_topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="topic_followers"
    )
    requires_approval = models.BooleanField(
        default=False, help_text="New connections wait until I accept them."
    )
    # Opt-in (DESIGN.md): a new person is found and suggested beyond their own network only
    # once they choose it (Settings → Privacy).
    discoverable = models.BooleanField(
        default=False,
        help_text="People outside my network may find me in search and see me suggested.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="The account was deleted (it is also suspended)."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), "domain", name="person_unique_handle"),
        ]
        indexes = [
            # The visibility rule excludes suspended people on every post query: keep that
            # lookup to the (few) suspended rows instead of a scan of everyone.
            models.Index(
                fields=["suspended_at"],
                name="person_suspended",
                condition=models.Q(suspended_at__isnull=False),
            ),
        ]
        ordering = ["handle"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:profile", kwargs={"handle": self.path_handle})

    @property
    def is_local(self) -> bool:
        return not self.domain

    @property
    def name(self) -> str:
        """The display name, falling back to the handle."""
        return self.display_name or self.handle

    @property
    def acct(self) -> str:
        """handle@host, as the fediverse writes it."""
        return f"{self.handle}@{self.domain or site_host()}"

    @property
    def path_handle(self) -> str:
        """The handle as it appears in our URLs: bare for local, with the domain for remote."""
        return self.handle if self.is_local else f"{self.handle}@{self.domain}"


class PersonLink(models.Model):
    """A link to one of the person's other places (blog, feed, fediverse, website)."""

    class Kind(models.TextChoices):
        WEBSITE = "website", "Website"
        BLOG = "blog", "Blog"
        FEED = "feed", "Feed (RSS/Atom)"
        FEDIVERSE = "fediverse", "Fediverse"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=100, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "url"], name="personlink_unique_url"),
        ]

    def __str__(self) -> str:
        return self.label or self.url
