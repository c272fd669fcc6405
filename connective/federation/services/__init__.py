"""Federation services: where side effects live."""
