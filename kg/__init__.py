"""ML knowledge graph: ingest, build, stores, queries, export, CLI."""
