"""Courses views."""
