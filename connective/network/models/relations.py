"""Blocks and mutes between people."""

from django.db import models
from django.db.models import Q


class Block(models.Model):
    """`owner` does not want `target` to see their posts, reply, connect or mention them."""

    owner = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="blocks")
    target = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "target"], name="block_once"),
            models.CheckConstraint(condition=~Q(owner=models.F("target")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} blocks {self.target_id}"


class Mute(models.Model):
    """`owner` does not want to see `target` in their stream or notifications."""

    owner = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="mutes")
    target = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "target"], name="mute_once"),
            models.CheckConstraint(condition=~Q(owner=models.F("target")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} mutes {self.target_id}"
