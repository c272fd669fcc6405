"""Discovery views."""
