"""A course and its team."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from connective.content.licences import DEFAULT_LICENCE, LICENCE_CHOICES, licence_for


class CourseQuerySet(models.QuerySet["Course"]):
    """Queries over courses."""

    def published(self) -> CourseQuerySet:
        """Courses open to everyone."""
        return self.filter(state=Course.State.PUBLISHED)

    def visible_to(self, viewer) -> CourseQuerySet:
        """Published courses, plus drafts whose team `viewer` belongs to."""
        if viewer is None:
            return self.published()
        return self.filter(
            models.Q(state=Course.State.PUBLISHED) | models.Q(team_rows__person_id=viewer.pk)
        ).distinct()


class Course(models.Model):
    """A short open course: units of activities, each completed by evidence."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=20_000, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="courses")
    licence = models.CharField(max_length=16, choices=LICENCE_CHOICES, default=DEFAULT_LICENCE)
    team = models.ManyToManyField(
        "accounts.Person", through="CourseTeam", related_name="courses_taught"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text="The course's discussion space (created when it is published).",
    )
    created_by = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.SET_NULL, related_name="created_courses"
    )
    uri = models.URLField(max_length=500, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Closed by its team: no new enrolments; it stays readable, statements stand.",
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def licence_info(self):
        """The Licence of the course text (None if unknown)."""
        return licence_for(self.licence)

    def is_team_member(self, person) -> bool:
        """Whether `person` (a Person or None) is on the course team."""
        if person is None:
            return False
        return self.team_rows.filter(person_id=person.pk).exists()


class CourseTeam(models.Model):
    """A person on a course team, with their role."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        FACILITATOR = "facilitator", "Facilitator"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="team_rows")
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="course_team_rows"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AUTHOR)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="course_team_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role}) on {self.course}"
