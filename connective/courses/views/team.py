"""The course team view: learners, how far each got, where they stall; revoking statements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from connective.accounts.viewer import current_person
from connective.content.views.common import private
from connective.courses.forms import RevokeForm
from connective.courses.services.completion import revoke_statement
from connective.courses.services.progress import team_overview
from connective.courses.views.common import team_course_or_404


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Enrolled learners with their progress, and the activities where learners stall."""
    course = team_course_or_404(request, slug)
    rows, stalls = team_overview(course)
    context = {
        "course": course,
        "rows": rows,
        "stalls": stalls,
        "revoke_form": RevokeForm(),
        "nav": "courses",
    }
    return private(render(request, "courses/team.html", context))


@login_required
@require_POST
def revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke a learner's statement of participation, with a reason."""
    course = team_course_or_404(request, slug)
    enrolment = course.enrolments.filter(pk=pk).select_related("learner", "course").first()
    if enrolment is None:
        raise Http404("No such learner.")
    back = reverse("courses:team", kwargs={"slug": course.slug})
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason (at most 500 characters) to revoke a statement.")
        return redirect(back)
    try:
        revoke_statement(enrolment, form.cleaned_data["reason"], by=current_person(request))
    except (ValueError, ImportError) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request, format_html("The statement of <bdi>{}</bdi> is revoked.", enrolment.learner.name)
    )
    return redirect(back)
