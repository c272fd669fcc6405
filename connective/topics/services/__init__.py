"""Topic services."""
