"""Spaces views."""
