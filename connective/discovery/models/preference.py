"""What a person wants from discovery: to be suggested or not, and what they dismissed."""

from django.db import models


class DiscoveryPreference(models.Model):
    """A person's choice about being suggested to others (no row = the default: suggest me)."""

    person = models.OneToOneField(
        "accounts.Person", on_delete=models.CASCADE, related_name="discovery_preference"
    )
    suggest_me = models.BooleanField(
        default=True,
        help_text="Others may see me in the expert finder, in suggestions and on topic pages.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person_id}: suggest {'yes' if self.suggest_me else 'no'}"


class Dismissal(models.Model):
    """'Not interested': `person` does not want `kind` #`object_id` recommended again."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        POST = "post", "Resource"
        SPACE = "space", "Space"
        COURSE = "course", "Course"

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="discovery_dismissals"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "object_id"], name="dismissal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} dismissed {self.kind} {self.object_id}"
