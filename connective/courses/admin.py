"""Courses in the Django admin."""
