"""What the Streamlit page needs from the graph, kept out of ``app.py``.

The page stays a thin layout; opening the store, choosing options and shaping
rows live here, where tests can call them without a browser.
"""

from __future__ import annotations

import os

from kg.stores import BoltStore, open_store


def store_spec() -> str:
    """The store the explorer serves: ``$KG_STORE`` or the default directory."""
    return os.environ.get("KG_STORE") or "./.kg"


def connect(spec: str | None = None) -> BoltStore:
    return open_store(spec or store_spec())


def dataset_names(store: BoltStore) -> list[str]:
    """Datasets ordered by how many methods report on them."""
    return [row["dataset"] for row in store.run_named("datasets")]


def methods_on_dataset(store: BoltStore, dataset: str) -> list[dict]:
    return store.run_named("methods-on-dataset", {"dataset": dataset})
