"""Notification services."""
