"""A learner's enrolment in a course and the evidence of their activities."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    """Queries over enrolments."""

    def active(self) -> EnrolmentQuerySet:
        """Enrolments the learner has not left."""
        return self.filter(unenrolled_at__isnull=True)


class Enrolment(models.Model):
    """A learner taking a course; leaving keeps the row (and the learner's posts and evidence)."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="enrolments"
    )
    learner = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    unenrolled_at = models.DateTimeField(null=True, blank=True)
    # The statement of participation issued on completion (a credentials.Statement).
    statement_id = models.PositiveBigIntegerField(null=True, blank=True)
    statement_url = models.CharField(max_length=500, blank=True)
    statement_issued_at = models.DateTimeField(null=True, blank=True)
    statement_revoked_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "learner"], name="enrolment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.course}"

    @property
    def is_active(self) -> bool:
        return self.unenrolled_at is None


class Evidence(models.Model):
    """What shows a learner did an activity: a post here, a page elsewhere, or a mark of done."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey(
        "courses.Activity", on_delete=models.CASCADE, related_name="evidence"
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    url = models.URLField(max_length=2000, blank=True, help_text="Evidence outside Connective.")
    title = models.CharField(max_length=300, blank=True)
    reflection = models.TextField(
        blank=True, max_length=10_000, help_text="Private: only the learner sees it."
    )
    posted_at = models.DateTimeField(null=True, blank=True, help_text="When it was published.")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "activity", "post"],
                condition=Q(post__isnull=False),
                name="evidence_unique_post",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "activity", "url"],
                condition=Q(post__isnull=True) & ~Q(url=""),
                name="evidence_unique_url",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "activity"],
                condition=Q(post__isnull=True) & Q(url=""),
                name="evidence_unique_mark",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"{self.activity} done"

    @property
    def link(self) -> str:
        """Where the evidence can be seen ('' for a mark of done)."""
        if self.post is not None:
            return self.post.get_absolute_url()
        return self.url
