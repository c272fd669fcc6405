"""Account services."""
