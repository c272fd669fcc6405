"""The course team removes things, each after a page that says what will happen: the course
(deleted, or closed once learners came), a unit, an activity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from connective.accounts.viewer import current_person
from connective.content.views.common import private
from connective.courses.models import Activity, Course, Unit
from connective.courses.services.authoring import CourseError
from connective.courses.services.authoring_removal import (
    can_be_deleted,
    close_course,
    delete_activity,
    delete_course,
    delete_unit,
    reopen_course,
)
from connective.courses.views.common import team_course_or_404

ACTIONS = {"delete": delete_course, "close": close_course, "reopen": reopen_course}
DONE = {
    "delete": "The course “{}” is deleted.",
    "close": "“{}” is closed to new learners.",
    "reopen": "“{}” is open to new learners again.",
}


def _edit_url(course: Course) -> str:
    return reverse("courses:edit", kwargs={"slug": course.slug})


@login_required
@require_http_methods(["GET", "POST"])
def remove_course(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a course nobody enrolled in, or close (or reopen) one that learners took."""
    course = team_course_or_404(request, slug)
    deletable = can_be_deleted(course)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponse("Choose delete, close or reopen.", status=400)
        try:
            ACTIONS[action](course, current_person(request))
        except CourseError as exc:
            messages.error(request, str(exc))
            return redirect(reverse("courses:remove", kwargs={"slug": course.slug}))
        messages.success(request, DONE[action].format(course.title))
        return redirect("courses:index" if action == "delete" else course.get_absolute_url())
    context = {
        "course": course,
        "deletable": deletable,
        "learners": course.enrolments.count(),
        "posts": course.space.posts.filter(deleted_at__isnull=True).count() if course.space else 0,
        "nav": "courses",
    }
    return private(render(request, "courses/remove.html", context))


def _unit_of(course: Course, pk: int) -> Unit:
    unit = course.units.filter(pk=pk).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a unit with its activities (none with learners' evidence), having confirmed."""
    course = team_course_or_404(request, slug)
    unit = _unit_of(course, pk)
    activities = list(unit.activities.all())
    return _confirm(request, course, unit.title, activities, lambda: delete_unit(unit))


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, slug: str, unit_pk: int, pk: int) -> HttpResponse:
    """Remove an activity no learner has evidence for, having confirmed."""
    course = team_course_or_404(request, slug)
    activity = Activity.objects.filter(unit=_unit_of(course, unit_pk), pk=pk).first()
    if activity is None:
        raise Http404("No such activity.")
    return _confirm(request, course, activity.title, [], lambda: delete_activity(activity))


def _confirm(request: HttpRequest, course: Course, title: str, activities, remove) -> HttpResponse:
    """The confirmation page (GET), or the removal (POST) back to the course's edit page."""
    error = ""
    if request.method == "POST":
        try:
            remove()
        except CourseError as exc:
            error = str(exc)
        else:
            messages.success(request, format_html("“<bdi>{}</bdi>” is removed.", title))
            return redirect(_edit_url(course))
    context = {
        "course": course,
        "title": title,
        "activities": activities,
        "error": error,
        "nav": "courses",
    }
    return private(
        render(request, "courses/remove_part.html", context, status=409 if error else 200)
    )
