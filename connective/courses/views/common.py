"""What the course views share: finding a course the viewer may see, the team check."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from connective.accounts.viewer import viewer_person
from connective.courses.models import Course


def course_or_404(request: HttpRequest, slug: str) -> Course:
    """A course the viewer may see (published, or a draft of their team); else the one 404."""
    course = Course.objects.visible_to(viewer_person(request)).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course.")
    return course


def team_course_or_404(request: HttpRequest, slug: str) -> Course:
    """A course whose team the viewer is on; anyone else gets the same 404 as a missing one."""
    course = course_or_404(request, slug)
    if not course.is_team_member(viewer_person(request)):
        raise Http404("No such course.")
    return course
