"""Portability services: where side effects live."""
