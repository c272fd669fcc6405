"""Units of a course and the activities in them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def minutes_text(minutes: int) -> str:
    """An estimate in words: "about 2 hours", "about 1 hour 30 minutes", "about 20 minutes"."""
    if minutes <= 0:
        return "no time estimate"
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return "about " + " ".join(parts)


class Unit(models.Model):
    """A part of a course: a title, an introduction and its activities in order."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="units")
    order = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, max_length=20_000, help_text="Markdown.")
    intro_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """Something a learner does, completed by evidence according to its kind."""

    class Kind(models.TextChoices):
        DISCUSS = "discuss", "Discuss"
        WRITE = "write", "Write"
        SHARE = "share", "Share"
        READ = "read", "Read"
        WATCH = "watch", "Watch"
        REFLECT = "reflect", "Reflect"

    # Kinds the learner marks done themselves; the others need a post as evidence.
    SELF_MARKED = frozenset({Kind.READ, Kind.WATCH, Kind.REFLECT})
    TAGGED = frozenset({Kind.WRITE, Kind.SHARE})

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="activities"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True, max_length=20_000, help_text="Markdown.")
    instructions_html = models.TextField(blank=True, editable=False)
    estimated_minutes = models.PositiveIntegerField(default=30)
    required = models.BooleanField(default=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DISCUSS)
    tag = models.CharField(
        max_length=64, blank=True, help_text="The hashtag that marks evidence, e.g. pln-position."
    )
    tag_key = models.CharField(max_length=64, blank=True, editable=False)
    thread = models.ForeignKey(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_activities",
        help_text="The discussion thread of a discuss activity.",
    )

    class Meta:
        ordering = ["unit__order", "unit_id", "order", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["course", "tag_key"],
                condition=~Q(tag_key=""),
                name="activity_tag_unique_in_course",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def estimate_text(self) -> str:
        """The estimated time in words."""
        return minutes_text(self.estimated_minutes)

    @property
    def is_self_marked(self) -> bool:
        return self.kind in self.SELF_MARKED

    @property
    def hashtag(self) -> str:
        """The tag as learners see it: #pln-position."""
        return f"#{self.tag}" if self.tag else ""

    @property
    def how_completed(self) -> str:
        """How a learner completes this activity, in one sentence."""
        if self.kind == self.Kind.DISCUSS:
            return "Post in the activity's thread in the course discussion."
        if self.kind == self.Kind.WRITE:
            return f"Write an article tagged {self.hashtag}, here or on your own blog."
        if self.kind == self.Kind.SHARE:
            return f"Share a resource tagged {self.hashtag}."
        return "Mark it done, optionally with a private reflection."
