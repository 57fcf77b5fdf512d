"""How fast does each explorer page render? (Streamlit AppTest, no browser.)

    .venv/bin/python bench/bench_app.py                 # builds the sample into a temp store
    .venv/bin/python bench/bench_app.py --store ./.kg   # an existing store (built if empty)

For every view it runs the page script headlessly, once the store is open:

* ``cold``: the page's caches emptied first (every query runs against the store);
* ``warm``: the caches as a user's second visit finds them.

It prints the median (and worst) of ``--runs`` runs per view, in seconds; the
target is under 2 s per page. Exit status 1 if a median misses ``--target``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"

#: view -> query parameters (a realistic question for the bundled sample).
PAGES = {
    "overview": {},
    "search": {"q": "coco"},
    "entity": {"label": "Dataset", "name": "COCO"},
    "methods-on-dataset": {"dataset": "NewsCLIPpings"},
    "method": {"method": "OV-DINO"},
    "leaderboard": {"dataset": "COCO"},
    "lineage": {"method": "LAMAR"},
    "dataset-papers": {},
    "related": {"method": "OV-DINO"},
    "paper": {},
    "console": {},
    "add": {},
    "export": {},
}
CONSOLE_QUERY = "MATCH p = (m:Method)-[:REPORTS_ON]->(d:Dataset) RETURN p LIMIT 50"


def _prepare(store_dir: str | None) -> str:
    """A store holding the bundled corpus; returns its directory."""
    from kg import explorer

    home = store_dir or tempfile.mkdtemp(prefix="kg-bench-app-")
    graph = explorer.connect(home)  # stays open: the page reuses it
    if not graph.stats()["nodes"].get("Paper", 0):
        started = time.perf_counter()
        report = graph.add([Path(SAMPLE)])
        print(f"built the sample into {home}: {report.load.papers} papers in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return home


def _run(view: str, params: dict, timeout: float) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["view"] = view
    for key, value in params.items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    if view == "console":  # a page with a query run, drawn as a table and a graph
        at.text_area(key="cypher").input(CONSOLE_QUERY)
        started = time.perf_counter()
        next(b for b in at.button if b.label == "Run").click().run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{view}: the page raised: {at.exception[0].value}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="store directory or bolt:// URI [default: a temp dir with the sample]")
    parser.add_argument("--runs", type=int, default=5, help="runs per view and mode")
    parser.add_argument("--target", type=float, default=2.0, help="seconds a page may take (median)")
    parser.add_argument("--views", nargs="*", default=list(PAGES), help="views to time")
    args = parser.parse_args(argv)

    spec = args.store if args.store and "://" in args.store else _prepare(args.store)
    temporary = not args.store
    os.environ["KG_STORE"] = spec
    import streamlit as st

    from kg import explorer

    started = time.perf_counter()
    _run("overview", {}, timeout=300)  # opens the store, starts the JVM, imports spaCy
    print(f"store open and first page in {time.perf_counter() - started:.1f} s "
          f"({spec})", file=sys.stderr)
    for view in args.views:  # one untimed run each: imports and first-use costs
        _run(view, PAGES[view], timeout=300)

    print(f"{'view':<20} {'cold median':>12} {'cold max':>9} {'warm median':>12} {'warm max':>9}")
    slow = []
    for view in args.views:
        cold, warm = [], []
        for _ in range(args.runs):
            st.cache_data.clear()
            st.cache_resource.clear()  # the page reopens its (already open) store cheaply
            cold.append(_run(view, PAGES[view], timeout=120))
            warm.append(_run(view, PAGES[view], timeout=120))
        cold_median, warm_median = statistics.median(cold), statistics.median(warm)
        print(f"{view:<20} {cold_median:>12.3f} {max(cold):>9.3f} {warm_median:>12.3f} {max(warm):>9.3f}")
        if cold_median > args.target:
            slow.append(view)
    explorer.close_all()
    if temporary:
        import shutil
        shutil.rmtree(spec, ignore_errors=True)
    if slow:
        print(f"over {args.target} s (cold median): {', '.join(slow)}")
        return 1
    print(f"every page under {args.target} s (cold median, {args.runs} runs)")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # the embedded JVM can hold the interpreter at exit
