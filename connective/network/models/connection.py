"""A connection with a purpose: who, why, where we met, since when."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Direction(models.TextChoices):
    """Which way the learning flows."""

    LEARN_FROM = "learn_from", "Learn from them"
    LEARN_WITH = "learn_with", "Learn with them"
    HELP = "help", "Help them"


class ConnectionQuerySet(models.QuerySet["Connection"]):
    """Queries over connections."""

    def active(self) -> ConnectionQuerySet:
        return self.filter(status=Connection.Status.ACTIVE)

    def pending(self) -> ConnectionQuerySet:
        return self.filter(status=Connection.Status.PENDING)

    def between(self, a_id: int, b_id: int) -> ConnectionQuerySet:
        """Connections either way between two people."""
        return self.filter(Q(owner_id=a_id, target_id=b_id) | Q(owner_id=b_id, target_id=a_id))


class Connection(models.Model):
    """`owner` connected to `target` in order to learn: the purpose is the point."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        ACTIVE = "active", "Connected"

    owner = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="connections"
    )
    target = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="connected_by"
    )
    direction = models.CharField(max_length=16, choices=Direction.choices)
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="connections")
    met_where = models.CharField(
        max_length=200, blank=True, help_text="Where we met, in a few words."
    )
    met_url = models.URLField(
        max_length=500, blank=True, help_text="A link to the post, resource or space where we met."
    )
    note = models.TextField(max_length=2000, blank=True, help_text="Private: only you see it.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    last_interaction_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "target"], name="connection_once"),
            models.CheckConstraint(
                condition=~Q(owner=models.F("target")), name="connection_not_self"
            ),
        ]
        indexes = [
            # (target, status) and (owner, status) lookups use their prefixes; the expert
            # finder's two-hop check reads the other side of each tie from the index alone
            # instead of thousands of scattered rows, and finds whom the network learns from
            # (direction) without reading the network's other ties.
            models.Index(fields=["target", "status", "owner"], name="connection_target_owner"),
            models.Index(
                fields=["owner", "status", "direction", "target"], name="connection_owner_ties"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} → {self.target_id} ({self.direction})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
