"""Soak: many readers, console queries (some runaway) and incremental builds on one store.

    .venv/bin/python bench/soak.py --datasets ../shared/datasets --minutes 10

On the SciTLDR corpus (train, dev, test: 3,229 papers): the train split is built first; then, for
``--minutes``, at once:

* ``--readers`` threads run named queries (leaderboard, entity, search, neighbourhood, stats…)
  through the store's holder, as ``kg query`` does;
* one thread runs console queries, one in five a runaway cross product with a 2 s limit (its
  ``time limit reached`` is the expected answer, counted apart);
* ``kg build`` processes add the dev split, then the test split, then build them again (unchanged
  papers are skipped), one after another, in a loop.

It prints queries served, median and p95 latency per kind, failures (the target is 0), and
whether the final graph equals a clean build of the three files into a fresh store.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "MATCH (a),(b),(c) RETURN a.key, b.key, c.key"
CONSOLE = ["MATCH (m:Method)-[:REPORTS_ON]->(d:Dataset) RETURN m.name, d.name LIMIT 50",
           "MATCH (p:Paper) RETURN p.year AS year, count(*) AS n ORDER BY n DESC",
           "MATCH (d:Dataset)<-[r:EVALUATES_ON]-() RETURN d.name, count(r) AS n ORDER BY n DESC LIMIT 10",
           "MATCH path = (:Method)-[:BUILDS_ON]->(:Method) RETURN path LIMIT 20"]


def _kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *args]


def _graph(home: str) -> tuple[list, list]:
    def rows(query: str) -> list:
        done = subprocess.run(_kg("cypher", query, "--store", home, "--format", "json", "--limit", "10000000",
                                  "--timeout", "300"), cwd=ROOT, capture_output=True, text=True, timeout=900)
        if done.returncode:
            raise SystemExit(f"reading {home}: {done.stderr.strip()}")
        return sorted(json.dumps(r, sort_keys=True) for r in json.loads(done.stdout))

    return (rows("MATCH (n) RETURN labels(n)[0] AS label, n.key AS key, n.name AS name"),
            rows("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.key AS a, b.key AS b, r.paper AS paper, "
                 "r.evidence AS evidence"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", required=True, help="folder holding scitldr/{train,dev,test}.jsonl")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--store", help="store directory [default: a temporary one]")
    args = parser.parse_args(argv)
    splits = [Path(args.datasets) / "scitldr" / f"{s}.jsonl" for s in ("train", "dev", "test")]
    home = args.store or tempfile.mkdtemp(prefix="kg-soak-")
    os.environ["KG_HOLDER"] = "daemon"  # as the kg command: the store has a holder of its own

    started = time.perf_counter()
    done = subprocess.run(_kg("build", str(splits[0]), "--store", home), cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    print(f"built the train split in {time.perf_counter() - started:.0f} s into {home}", flush=True)

    from kg.stores import QueryLimit, open_store

    stop = time.monotonic() + args.minutes * 60
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    failures: list[str] = []
    limits = [0]

    def record(kind: str, seconds: float) -> None:
        with lock:
            latencies.setdefault(kind, []).append(seconds)

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        store = open_store(home)
        try:
            datasets = [r["dataset"] for r in store.run_named("most-evaluated-datasets", {"limit": 30})] or ["COCO"]
            while time.monotonic() < stop:
                dataset = rng.choice(datasets)
                name, params = rng.choice([
                    ("leaderboard", {"dataset": dataset}), ("entity", {"label": "Dataset", "name": dataset}),
                    ("methods-on-dataset", {"dataset": dataset}), ("search", {"q": dataset[:4].lower()}),
                    ("neighbourhood", {"label": "Dataset", "name": dataset}), ("node-counts", {}),
                    ("dataset-tasks", {"dataset": dataset}), ("newest-papers", {})])
                t = time.perf_counter()
                try:
                    store.run_named(name, params)
                    record("named query", time.perf_counter() - t)
                except Exception as error:  # noqa: BLE001 - counted, reported
                    failures.append(f"{name}: {error}")
        finally:
            store.close()

    def console() -> None:
        store = open_store(home)
        rng = random.Random(7)
        try:
            while time.monotonic() < stop:
                runaway = rng.random() < 0.2
                t = time.perf_counter()
                try:
                    store.console(RUNAWAY if runaway else rng.choice(CONSOLE), row_limit=1000000 if runaway else 1000,
                                  timeout=2 if runaway else 10)
                    record("console", time.perf_counter() - t)
                    if runaway:
                        failures.append("a runaway query returned instead of hitting its limit")
                except QueryLimit:
                    limits[0] += 1
                    record("console (runaway, limit hit)", time.perf_counter() - t)
                except Exception as error:  # noqa: BLE001
                    failures.append(f"console: {error}")
        finally:
            store.close()

    builds = [0]

    def builder() -> None:
        order = [splits[1], splits[2], splits[1], splits[2]]
        i = 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            done = subprocess.run(_kg("build", str(order[i % len(order)]), "--store", home), cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode:
                failures.append(f"build {order[i % len(order)].name}: {done.stderr.strip()[-300:]}")
            else:
                record("build (incremental)", time.perf_counter() - t)
                builds[0] += 1
            i += 1

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    threads += [threading.Thread(target=console), threading.Thread(target=builder)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    print(f"\nsoak of {args.minutes:g} min: {args.readers} readers, 1 console, builds in a loop")
    print(f"{'kind':<32} {'served':>7} {'median s':>9} {'p95 s':>7}")
    for kind, values in sorted(latencies.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{kind:<32} {len(values):>7} {statistics.median(values):>9.3f} {p95:>7.3f}")
    print(f"runaway queries stopped at their limit: {limits[0]}; builds completed: {builds[0]}")
    print(f"failures: {len(failures)}")
    for failure in failures[:10]:
        print("  " + failure)

    clean = tempfile.mkdtemp(prefix="kg-soak-clean-")
    done = subprocess.run(_kg("build", *map(str, splits), "--store", clean), cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    soaked, fresh = _graph(home), _graph(clean)
    same = soaked == fresh
    print(f"final graph equals a clean build of the three splits: {same}")
    for i, what in enumerate(("nodes", "relationships")):
        a, b = set(soaked[i]), set(fresh[i])
        print(f"  {what}: {len(a)} soaked, {len(b)} clean; {len(a - b)} only soaked, {len(b - a)} only clean")
    return 0 if same and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
