"""Portability in the Django admin."""
