"""Shared fixtures: a real ArcadeDB (embedded, Bolt on loopback), never a mock.

One server runs for the whole session (starting the JVM takes seconds); each
test that needs isolation gets its own database on it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.stores import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"
_counter = itertools.count()


@pytest.fixture(scope="session")
def store_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kgstore")


@pytest.fixture(scope="session")
def server(store_home):
    """Holds the embedded server open for the session (database ``kg``)."""
    holder = EmbeddedStore(store_home, database="kg")
    yield holder
    holder.close()


@pytest.fixture
def store(server, store_home):
    """An empty database of its own on the session's server."""
    graph = EmbeddedStore(store_home, database=f"t{next(_counter)}_{os.getpid()}")
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def sample_store(server):
    """The bundled sample corpus built into the session's ``kg`` database."""
    from kg.build import build

    report = build([SAMPLE], server)
    assert report.load.papers == 119
    return server


@contextlib.contextmanager
def kg_serve(home: Path):
    """``kg serve`` in its own process: a real Bolt server on loopback.

    Yields ``(uri, secret)``: the ``bolt://`` URI it prints and the
    credentials it wrote to ``secret.json``.
    """
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(home)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        uri = process.stdout.readline().strip()
        assert uri.startswith("bolt://127.0.0.1:"), process.stderr.read()
        yield uri, json.loads((home / "secret.json").read_text())
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM a test's server process; SIGKILL it if it has not exited in ``timeout`` s."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def make_record(paper_id: str, title: str = "A paper", method: str = "FooNet",
                datasets=("COCO",), abstract: str = "An abstract.", **extra) -> dict:
    """A hand-made extraction record in the interchange format."""
    evidence = f"{method} reaches new results on {' and '.join(datasets)}."
    relations = [{"type": "INTRODUCES", "source": paper_id, "source_label": "Paper",
                  "target": method, "target_label": "Method", "evidence": f"We propose {method}.",
                  "start": 0, "end": 10, "extractor": "test", "confidence": 0.9}]
    for dataset in datasets:
        relations.append({"type": "EVALUATES_ON", "source": paper_id, "source_label": "Paper",
                          "target": dataset, "target_label": "Dataset", "evidence": evidence,
                          "start": 0, "end": 10, "extractor": "test", "confidence": 0.8})
        relations.append({"type": "REPORTS_ON", "source": method, "source_label": "Method",
                          "target": dataset, "target_label": "Dataset", "evidence": evidence,
                          "start": 0, "end": 10, "extractor": "test", "confidence": 0.8})
    entities = [{"label": "Method", "name": method, "text": method, "field": "abstract",
                 "start": 0, "end": len(method)}]
    entities += [{"label": "Dataset", "name": d, "text": d, "field": "abstract", "start": 0,
                  "end": len(d)} for d in datasets]
    record = {"id": paper_id, "title": title, "abstract": abstract, "entities": entities,
              "relations": relations, "results": []}
    record.update(extra)
    return record
