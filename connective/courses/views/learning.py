"""The learner's pages: the course list, a course with my progress, enrol, leave, mark done."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from connective.accounts.viewer import current_person, viewer_person
from connective.content.views.common import private
from connective.core.uris import site_host
from connective.courses.forms import DoneForm
from connective.courses.models import Activity, Course, Enrolment
from connective.courses.services.enrolment import EnrolmentError, enrol, enrolment_of, unenrol
from connective.courses.services.evidence import EvidenceError, mark_done, unmark_done
from connective.courses.services.progress import (
    Progress,
    course_activities,
    progress_of,
    why_not_counted,
)
from connective.courses.views.common import course_or_404


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Published courses, mine first; drafts of my teams."""
    viewer = viewer_person(request)
    courses = (
        Course.objects.published()
        .annotate(learners=Count("enrolments", filter=Q(enrolments__unenrolled_at__isnull=True)))
        .prefetch_related("topics")
    )
    mine: list[Enrolment] = []
    drafts: list[Course] = []
    if viewer is not None:
        mine = list(Enrolment.objects.active().filter(learner=viewer).select_related("course"))
        drafts = list(Course.objects.filter(team_rows__person=viewer, state=Course.State.DRAFT))
    context = {"courses": courses, "mine": mine, "drafts": drafts, "nav": "courses"}
    return private(render(request, "courses/index.html", context))


def write_link(activity: Activity) -> str:
    """The composer, opened on the right kind of post with the activity's tag filled in."""
    kind = "article" if activity.kind == Activity.Kind.WRITE else "resource"
    return reverse("content:compose") + "?" + urlencode({"kind": kind, "topics": activity.tag})


def _activity_rows(
    course: Course,
    activities: list[Activity],
    enrolment: Enrolment | None,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    """Each unit with its activities and, for an enrolled learner, their evidence."""
    units: dict[int, dict[str, Any]] = {}
    for unit in course.units.all():
        units[unit.pk] = {"unit": unit, "activities": []}
    for activity in activities:
        row: dict[str, Any] = {"activity": activity, "evidence": [], "not_counted": []}
        if activity.kind in Activity.TAGGED:
            row["write_link"] = write_link(activity)
        if progress is not None and enrolment is not None:
            row["evidence"] = progress.evidence.get(activity.pk, [])
            if not row["evidence"] and enrolment.is_active:
                row["not_counted"] = why_not_counted(enrolment, activity)
        units[activity.unit_id]["activities"].append(row)
    return list(units.values())


@require_GET
def course(request: HttpRequest, slug: str) -> HttpResponse:
    """A course: its units and activities, how each is completed, and my progress."""
    viewer = viewer_person(request)
    the_course = course_or_404(request, slug)
    enrolment = enrolment_of(the_course, viewer)
    active = enrolment if enrolment is not None and enrolment.is_active else None
    activities = course_activities(the_course)
    progress = progress_of(enrolment, activities) if enrolment is not None else None
    context = {
        "course": the_course,
        "units": _activity_rows(the_course, activities, enrolment, progress),
        "enrolment": enrolment,
        "active": active,
        "progress": progress,
        "is_team": the_course.is_team_member(viewer),
        "team": the_course.team_rows.select_related("person"),
        "done_form": DoneForm(),
        "nav": "courses",
        "fediverse_handle": f"@course.{the_course.slug}@{site_host()}"
        if the_course.is_published
        else "",
    }
    return private(render(request, "courses/course.html", context))


@login_required
@require_POST
def enrol_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Enrol with one click."""
    the_course = course_or_404(request, slug)
    try:
        enrol(the_course, current_person(request))
    except EnrolmentError as exc:
        messages.error(request, str(exc))
        return redirect(the_course)
    messages.success(request, "You are enrolled. Your progress shows on this page.")
    return redirect(the_course)


@login_required
@require_POST
def unenrol_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave the course; posts and evidence stay."""
    the_course = course_or_404(request, slug)
    enrolment = enrolment_of(the_course, current_person(request))
    if enrolment is not None:
        unenrol(enrolment)
        messages.success(request, "You left the course. Your posts and evidence stay.")
    return redirect(the_course)


def _activity_for(request: HttpRequest, slug: str, pk: int) -> tuple[Course, Activity, Enrolment]:
    the_course = course_or_404(request, slug)
    activity = the_course.activities.filter(pk=pk).first()
    enrolment = enrolment_of(the_course, current_person(request))
    if activity is None:
        raise Http404("No such activity.")
    if enrolment is None or not enrolment.is_active:
        raise Http404("No such activity.")
    return the_course, activity, enrolment


@login_required
@require_POST
def done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark a read, watch or reflect activity done (with an optional private reflection)."""
    the_course, activity, enrolment = _activity_for(request, slug, pk)
    form = DoneForm(request.POST)
    anchor = f"{the_course.get_absolute_url()}#activity-{activity.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reflection", [])))
        return redirect(anchor)
    try:
        mark_done(enrolment, activity, form.cleaned_data.get("reflection", ""))
    except EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect(anchor)
    messages.success(request, format_html("“<bdi>{}</bdi>” is done.", activity.title))
    return redirect(anchor)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take back a mark of done."""
    the_course, activity, enrolment = _activity_for(request, slug, pk)
    try:
        unmark_done(enrolment, activity)
    except EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect(f"{the_course.get_absolute_url()}#activity-{activity.pk}")
