"""Search services: where side effects live."""
