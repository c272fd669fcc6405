"""Courses in the Django admin."""

from django.contrib import admin

from connective.core.forms import ASSUME_HTTPS
from connective.courses.models import Activity, Course, CourseTeam, Enrolment, Evidence, Unit


class CourseTeamInline(admin.TabularInline):
    """The course team on the course's admin page."""

    model = CourseTeam
    raw_id_fields = ["person"]
    extra = 0


class UnitInline(admin.TabularInline):
    """The course's units."""

    model = Unit
    fields = ["order", "title"]
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    """Courses, with their team and units."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["title", "slug", "state", "licence", "created_at", "published_at"]
    list_filter = ["state", "licence"]
    search_fields = ["title", "slug", "summary"]
    raw_id_fields = ["space", "created_by"]
    filter_horizontal = ["topics"]
    inlines = [CourseTeamInline, UnitInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Activities of every course."""

    list_display = ["title", "course", "unit", "kind", "required", "estimated_minutes", "tag"]
    list_filter = ["kind", "required"]
    search_fields = ["title", "tag"]
    raw_id_fields = ["course", "unit", "thread"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Who is taking which course."""

    list_display = ["learner", "course", "enrolled_at", "completed_at", "unenrolled_at"]
    list_filter = ["completed_at", "unenrolled_at"]
    raw_id_fields = ["course", "learner"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence recorded for activities (reflections are the learner's own: not shown)."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["activity", "enrolment", "post", "url", "recorded_at"]
    raw_id_fields = ["enrolment", "activity", "post"]
    exclude = ["reflection"]
