"""Instance moderation: blocked or silenced domains, and reports (Flag) from other servers."""

from django.db import models


class DomainBlock(models.Model):
    """A remote domain we silence (posts only for its followers here) or suspend (refused)."""

    class Severity(models.TextChoices):
        SILENCE = "silence", "Silence"
        SUSPEND = "suspend", "Suspend"

    domain = models.CharField(max_length=253, unique=True, help_text="Lower case, no scheme.")
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.SUSPEND)
    reject_media = models.BooleanField(default=False, help_text="Do not fetch its media.")
    reason = models.TextField(blank=True, help_text="Shown to admins only.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.domain} ({self.severity})"


class Report(models.Model):
    """A report about a person or posts, from another server (Flag) or to be sent as one."""

    activity_id = models.CharField(max_length=500, unique=True)
    reporter = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    target = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.SET_NULL, related_name="reports_about"
    )
    posts = models.ManyToManyField("content.Post", blank=True, related_name="reports")
    content = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report {self.activity_id}"
