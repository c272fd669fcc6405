"""A discussion space (a forum) and who belongs to it."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class LiveSpaces(models.Manager["Space"]):
    """Spaces not being deleted: every page, list and lookup sees only these."""

    def get_queryset(self) -> models.QuerySet[Space]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Space(models.Model):
    """A forum on some topics; open to all, or with its posts visible to members only."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=5000, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="spaces")
    members_only = models.BooleanField(
        default=False, help_text="Only members can read and write its threads."
    )
    created_by = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.SET_NULL, related_name="created_spaces"
    )
    uri = models.URLField(max_length=500, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Deleted by its owner: gone from every page; its posts are being deleted.",
    )

    objects = LiveSpaces()
    all_objects = models.Manager["Space"]()  # the sweep and related lookups see deleted ones

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("spaces:space", kwargs={"slug": self.slug})

    def is_member(self, person) -> bool:
        """Whether `person` (a Person or None) belongs to this space."""
        if person is None:
            return False
        return self.memberships.filter(person_id=person.pk).exists()

    def is_moderator(self, person) -> bool:
        """Whether `person` (a Person or None) moderates this space."""
        if person is None:
            return False
        return self.memberships.filter(person_id=person.pk, role=Membership.Role.MODERATOR).exists()


class Membership(models.Model):
    """A person's place in a space: member or moderator."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.space}"
