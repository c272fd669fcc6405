"""Discovery services: where side effects live."""
