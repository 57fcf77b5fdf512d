"""Schema and named queries as .cypher files (package data)."""
