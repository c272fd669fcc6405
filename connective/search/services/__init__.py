"""Search services: `index` writes the index, `query.search` reads it."""
