"""Search in the Django admin."""
