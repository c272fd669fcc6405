"""Courses services: where side effects live."""
