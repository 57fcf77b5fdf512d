"""spaCy extraction of methods, datasets, tasks, metrics, relations and results."""
