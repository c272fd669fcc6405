"""Feeds in the Django admin."""
