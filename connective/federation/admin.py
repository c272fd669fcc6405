"""Federation in the Django admin."""
