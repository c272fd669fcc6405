"""Open courses: units, activities completed by evidence, enrolment, progress, team view."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """The courses app: it hears of posts to recognise evidence."""

    name = "connective.courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        """Subscribe evidence recognition to the content app's announcements."""
        from connective.core import events
        from connective.courses.services import evidence

        events.subscribe(events.POST_PUBLISHED, evidence.on_post_published)
        events.subscribe(events.POST_EDITED, evidence.on_post_edited)
        events.subscribe(events.POST_DELETED, evidence.on_post_deleted)
