"""Search views."""
