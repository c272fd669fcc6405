"""Feeds services: where side effects live."""
