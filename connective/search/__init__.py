"""Full-text search over people and content: one interface, SQLite FTS5 and PostgreSQL backends."""
