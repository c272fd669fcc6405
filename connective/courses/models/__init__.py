"""Courses models."""

from connective.courses.models.activity import Activity, Unit, minutes_text
from connective.courses.models.course import Course, CourseTeam
from connective.courses.models.enrolment import Enrolment, Evidence

__all__ = ["Activity", "Course", "CourseTeam", "Enrolment", "Evidence", "Unit", "minutes_text"]
