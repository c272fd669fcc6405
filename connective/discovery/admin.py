"""Discovery in the Django admin."""
