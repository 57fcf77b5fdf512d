"""Crash safety and concurrency against the real embedded store.

A build killed with SIGKILL mid-load leaves only whole papers (each batch is
one transaction); re-running completes it with no duplicates; readers running
while a build writes always succeed and always see whole papers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import make_record
from kg.stores import EmbeddedStore

DATASETS = ("COCO", "LVIS", "ImageNet")
# a make_record paper: INTRODUCES + per dataset EVALUATES_ON and REPORTS_ON
EDGES_PER_PAPER = 1 + 2 * len(DATASETS)


def _write_records(path, count):
    with open(path, "w") as handle:
        for i in range(count):
            record = make_record(f"k{i:05d}", method=f"Net{i}", datasets=DATASETS,
                                 abstract=f"Abstract {i}.")
            handle.write(json.dumps(record) + "\n")


def _whole_papers(store) -> tuple[int, list]:
    """Number of papers, and those whose edges are not all there."""
    rows = store.read(
        "MATCH (p:Paper) "
        "OPTIONAL MATCH (p)-[out]->() "
        "WITH p, count(out) AS outgoing "
        "OPTIONAL MATCH (p)-[:INTRODUCES]->(:Method)-[rep:REPORTS_ON]->() WHERE rep.paper = p.key "
        "WITH p, outgoing, count(rep) AS reported "
        "RETURN p.key AS paper, outgoing + reported AS edges")
    broken = [row["paper"] for row in rows if row["edges"] != EDGES_PER_PAPER]
    return len(rows), broken


def _stats_via_holder(home) -> dict:
    result = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--store", str(home),
                             "--format", "json"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return {}
    return {row["name"]: row["count"] for row in json.loads(result.stdout)}


def test_sigkill_mid_load_leaves_whole_papers_and_rerun_completes(tmp_path):
    total = 2000
    shard = tmp_path / "records.jsonl"
    _write_records(shard, total)
    home = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "load", str(shard), "--store", str(home),
               "--batch-size", "25"]
    loader = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    endpoint = home / "endpoint.json"
    while time.monotonic() < deadline and loader.poll() is None and not endpoint.exists():
        time.sleep(0.2)  # let the loader hold the store; our polls then go through it
    papers = 0
    while time.monotonic() < deadline and loader.poll() is None:
        papers = _stats_via_holder(home).get("Paper", 0)
        if papers >= 100:
            break
        time.sleep(0.5)
    if loader.poll() is not None:
        pytest.fail(f"the load ended (status {loader.returncode}) before it could be killed: "
                    f"{loader.stderr.read().decode(errors='replace')[-2000:]}")
    assert papers >= 100
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()

    store = EmbeddedStore(home)  # reopens after the kill
    try:
        count, broken = _whole_papers(store)
        assert 0 < count < total
        assert broken == []
    finally:
        store.close()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    store = EmbeddedStore(home)
    try:
        count, broken = _whole_papers(store)
        assert count == total and broken == []
        stats = store.stats()
        assert stats["nodes"]["Method"] == total and stats["nodes"]["Dataset"] == len(DATASETS)
        assert stats["relations"]["REPORTS_ON"] == total * len(DATASETS)
    finally:
        store.close()


def test_concurrent_reads_during_a_build_succeed_and_see_whole_papers(store):
    records = [make_record(f"c{i:04d}", method=f"Net{i}", datasets=DATASETS) for i in range(600)]
    errors, observations = [], []
    writing = threading.Event()
    writing.set()

    def reader():
        while writing.is_set():
            try:
                count, broken = _whole_papers(store)
                rows = store.run_named("methods-on-dataset", {"dataset": "coco"})
                observations.append((count, len(broken), len(rows)))
                if broken:
                    errors.append(f"half papers seen: {broken[:3]}")
            except Exception as error:  # any failed read fails the test
                errors.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    try:
        store.load(records, batch_size=20)
    finally:
        writing.clear()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(observations) >= 6
    assert any(0 < count < len(records) for count, _, _ in observations), "no read overlapped the build"
    assert _whole_papers(store) == (len(records), [])
