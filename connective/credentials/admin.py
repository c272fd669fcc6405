"""Credentials in the Django admin."""
