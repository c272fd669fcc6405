"""Feeds views."""
