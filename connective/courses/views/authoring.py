"""The course team's pages: create and edit a course, its units, activities and team; publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.views.common import private
from connective.courses.forms import ActivityForm, CourseForm, TeamMemberForm, UnitForm
from connective.courses.models import Activity, Course, Unit
from connective.courses.services.authoring import (
    CourseError,
    add_team_member,
    create_course,
    edit_course,
    publish_course,
    save_activity,
    save_unit,
)
from connective.courses.services.authoring_removal import can_be_deleted
from connective.courses.services.progress import course_activities
from connective.courses.views.common import team_course_or_404


def _edit_url(course: Course) -> str:
    return reverse("courses:edit", kwargs={"slug": course.slug})


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Start a course (a draft until published)."""
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = create_course(current_person(request), form.to_draft())
        except CourseError as exc:
            form.apply_error(exc)
        else:
            messages.success(request, "Course created. Add units and activities, then publish.")
            return redirect(_edit_url(course))
    status = 400 if form.is_bound else 200
    return private(render(request, "courses/new.html", {"form": form}, status=status))


def _edit_context(course: Course, **forms: Any) -> dict[str, Any]:
    initial = {
        "title": course.title,
        "summary": course.summary,
        "licence": course.licence,
        "topics": ", ".join(t.name for t in course.topics.all()),
    }
    activities = course_activities(course)
    units = [
        {"unit": unit, "activities": [a for a in activities if a.unit_id == unit.pk]}
        for unit in course.units.all()
    ]
    return {
        "course": course,
        "form": forms.get("form") or CourseForm(initial=initial),
        "unit_form": forms.get("unit_form") or UnitForm(initial={"order": len(units) + 1}),
        "member_form": forms.get("member_form") or TeamMemberForm(),
        "units": units,
        "team": course.team_rows.select_related("person"),
        "deletable": can_be_deleted(course),
        "nav": "courses",
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The course's own fields, with its units, activities, team and the publish button."""
    course = team_course_or_404(request, slug)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                edit_course(course, form.to_draft())
            except CourseError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, "The course is saved.")
                return redirect(_edit_url(course))
        context = _edit_context(course, form=form)
        return private(render(request, "courses/edit.html", context, status=400))
    return private(render(request, "courses/edit.html", _edit_context(course)))


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the course to learners."""
    course = team_course_or_404(request, slug)
    try:
        publish_course(course, current_person(request))
    except CourseError as exc:
        messages.error(request, str(exc))
        return redirect(_edit_url(course))
    messages.success(request, "The course is published, with its discussion space.")
    return redirect(course)


@login_required
@require_POST
def add_member(request: HttpRequest, slug: str) -> HttpResponse:
    """Add someone on this server to the team."""
    course = team_course_or_404(request, slug)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        handle = form.cleaned_data["handle"].strip().lstrip("@")
        person = Person.objects.local().active().filter(handle__iexact=handle).first()
        if person is None:
            form.add_error("handle", "Nobody on this server has that handle.")
        else:
            try:
                add_team_member(
                    course, person, form.cleaned_data["role"], by=current_person(request)
                )
            except CourseError as exc:
                form.apply_error(exc)
            else:
                messages.success(
                    request, format_html("<bdi>{}</bdi> is on the course team.", person.name)
                )
                return redirect(_edit_url(course))
    context = _edit_context(course, member_form=form)
    return private(render(request, "courses/edit.html", context, status=400))


def _unit_or_404(course: Course, pk: int | None) -> Unit | None:
    if pk is None:
        return None
    unit = course.units.filter(pk=pk).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def unit_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a unit, or change one."""
    course = team_course_or_404(request, slug)
    unit = _unit_or_404(course, pk)
    initial = {"title": unit.title, "intro": unit.intro, "order": unit.order} if unit else None
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_unit(course, unit=unit, **form.cleaned_data)
        except CourseError as exc:
            form.apply_error(exc)
        else:
            messages.success(request, "The unit is saved.")
            return redirect(_edit_url(course))
    context = {"course": course, "unit": unit, "form": form, "nav": "courses"}
    status = 400 if form.is_bound else 200
    return private(render(request, "courses/unit_form.html", context, status=status))


def _activity_initial(activity: Activity | None, unit: Unit) -> dict[str, Any]:
    if activity is None:
        return {"order": unit.activities.count() + 1, "required": True, "estimated_minutes": 30}
    fields = ["title", "kind", "instructions", "estimated_minutes", "required", "tag", "order"]
    return {name: getattr(activity, name) for name in fields}


@login_required
@require_http_methods(["GET", "POST"])
def activity_form(
    request: HttpRequest, slug: str, unit_pk: int, pk: int | None = None
) -> HttpResponse:
    """Add an activity to a unit, or change one."""
    course = team_course_or_404(request, slug)
    unit = _unit_or_404(course, unit_pk)
    assert unit is not None
    activity = unit.activities.filter(pk=pk).first() if pk is not None else None
    if pk is not None and activity is None:
        raise Http404("No such activity.")
    form = ActivityForm(request.POST or None, initial=_activity_initial(activity, unit))
    if request.method == "POST" and form.is_valid():
        try:
            save_activity(unit, form.to_draft(), current_person(request), activity)
        except CourseError as exc:
            form.apply_error(exc)
        else:
            messages.success(request, "The activity is saved.")
            return redirect(_edit_url(course))
    context = {"course": course, "unit": unit, "activity": activity, "form": form}
    status = 400 if form.is_bound else 200
    return private(render(request, "courses/activity_form.html", context, status=status))
