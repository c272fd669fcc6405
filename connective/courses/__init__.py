"""Open courses: units, activities completed by evidence, enrolment, progress, team view."""
