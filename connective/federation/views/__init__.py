"""Federation views."""
