"""Credentials services: where side effects live."""
