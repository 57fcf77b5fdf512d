"""Pipeline components: small, configurable, serialisable spaCy factories."""
