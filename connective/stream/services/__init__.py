"""Stream services."""
