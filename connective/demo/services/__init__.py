"""Build the demo community through every app's own services."""
