"""A dated picture of someone's PLN map with its health figures, to reflect on later."""

from django.db import models
from django.urls import reverse


class MapSnapshot(models.Model):
    """The map as it was: its owner's rendered SVG, what the public copy is drawn from, and the
    health figures. The public copy is drawn when it is served (services/snapshots.py
    `public_svg`), so it shows only the names people allow at that moment."""

    owner = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="map_snapshots"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    svg = models.TextField(help_text="The map as its owner saw it.")
    layout = models.JSONField(
        default=dict,
        blank=True,
        help_text="The date and each topic sector's ties, people by id: the public copy's source.",
    )
    public_svg = models.TextField(
        blank=True,
        help_text="Only snapshots saved before layouts were kept: their public copy, with every "
        "name but the owner's withheld.",
    )
    health = models.JSONField(default=dict)
    summary = models.CharField(max_length=300, help_text="A text alternative for the picture.")
    public = models.BooleanField(default=False)
    token = models.CharField(max_length=32, unique=True, help_text="The public address's secret.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="mapsnapshot_owner")]

    def __str__(self) -> str:
        return f"Map of {self.owner_id} on {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("discovery:snapshot", kwargs={"pk": self.pk})

    def public_path(self) -> str:
        """Where the public SVG is served (only while `public` is set)."""
        return reverse("discovery:snapshot_public", kwargs={"token": self.token})
