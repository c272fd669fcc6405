"""Spaces in the Django admin."""
