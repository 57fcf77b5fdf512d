"""ML knowledge graph: ingest, build, stores, queries, export, CLI — and a Python API.

    import kg
    with kg.open("./.kg") as graph:
        graph.query("leaderboard", dataset="COCO")

See docs/python.md.
"""

from kg.api import (BadInput, Graph, KGError, LimitReached, QueryRefused, StoreUnavailable, extract, nlp,
                    open)

__version__ = "0.2.0"

__all__ = ["Graph", "KGError", "BadInput", "StoreUnavailable", "QueryRefused", "LimitReached", "open",
           "extract", "nlp", "__version__"]
