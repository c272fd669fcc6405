"""Spaces services: where side effects live."""
