"""Open courses: units, activities completed by evidence, enrolment, progress, team view."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """The courses app."""

    name = "connective.courses"
    label = "courses"
    verbose_name = "Courses"
