"""A dated picture of someone's PLN map with its health figures, to reflect on later."""

from django.db import models
from django.urls import reverse


class MapSnapshot(models.Model):
    """The map as it was: the rendered SVG (private and public forms) and the health figures."""

    owner = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="map_snapshots"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    svg = models.TextField(help_text="The map as its owner saw it.")
    public_svg = models.TextField(
        help_text="The same map with the names of people who did not opt in to discovery withheld."
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
