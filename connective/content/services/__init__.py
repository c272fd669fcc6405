"""Content services."""
