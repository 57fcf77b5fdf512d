"""One store, many commands: readers and writers started together, in any order, never break
each other (the store's holder is a process of its own, started on demand and gone when idle;
writers take turns), and the result is the graph a clean build makes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = ["FooNet", "BarNet", "BazFormer", "QuxGAN", "ZetaBERT", "EtaViT"]
DATASETS = ["COCO", "ImageNet", "SQuAD 2.0", "LVIS", "CIFAR-100"]


def _papers(path: Path, start: int, count: int) -> Path:
    lines = []
    for i in range(start, start + count):
        method, dataset = METHODS[i % len(METHODS)] + str(i), DATASETS[i % len(DATASETS)]
        lines.append(json.dumps({
            "id": f"c{i:04d}", "title": f"{method}: a simple approach to object detection",
            "abstract": f"We propose {method}, a detector built on DETR. {method} achieves {40 + i % 17}.{i % 10} AP "
                        f"on {dataset}, outperforming Faster R-CNN. Code is at https://github.com/x/{method}."}))
    path.write_text("\n".join(lines) + "\n")
    return path


def _kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *args]


def _graph(home: Path) -> tuple[list, list]:
    def rows(query: str) -> list:
        done = subprocess.run(_kg("cypher", query, "--store", str(home), "--format", "json", "--limit", "100000"),
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return sorted(json.dumps(r, sort_keys=True) for r in json.loads(done.stdout))

    return (rows("MATCH (n) RETURN labels(n)[0] AS label, n.key AS key, n.name AS name"),
            rows("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.key AS a, b.key AS b, r.paper AS paper"))


def test_eight_readers_and_two_builds_started_together_all_succeed(tmp_path):
    first, second = _papers(tmp_path / "a.jsonl", 0, 40), _papers(tmp_path / "b.jsonl", 40, 40)
    home = tmp_path / "shared"
    spawn = dict(cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # a reader first: it starts the holder, and exits long before the builds end
    procs = [subprocess.Popen(_kg("stats", "--store", str(home)), **spawn)]
    time.sleep(0.2)
    procs += [subprocess.Popen(_kg("build", str(path), "--store", str(home)), **spawn) for path in (first, second)]
    for _ in range(7):
        procs.append(subprocess.Popen(_kg("query", "node-counts", "--store", str(home)), **spawn))
        time.sleep(0.3)
    for process in procs:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, (process.args, err[-2000:])

    clean = tmp_path / "clean"
    done = subprocess.run(_kg("build", str(first), str(second), "--store", str(clean)), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _graph(home) == _graph(clean)


def test_a_store_opened_while_a_commands_holder_idles_keeps_it_serving(tmp_path):
    """The explorer (or any library user) that opens the store while the holder a command
    started is idling uses it under a lease: the holder does not stop under it."""
    from kg.stores import EmbeddedStore

    home = tmp_path / "store"
    done = subprocess.run(_kg("build", str(_papers(tmp_path / "a.jsonl", 0, 5)), "--store", str(home)),
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (home / "endpoint.json").exists()  # the command's holder, idling for 2 s
    store = EmbeddedStore(home, holder="process")
    try:
        assert store.served_by_other_process
        time.sleep(4)  # past the holder's idle time
        assert store.stats()["nodes"]["Paper"] == 5
    finally:
        store.close()
