"""Runaway queries and stop signals, against the real store and real processes.

A console query stops at its row cap without the server producing the rest, and at its
time limit with its connection cut: the caller gets a one-line error in time, the server stops
working on it, and the next query answers. SIGTERM ends any kg command (and what it started)
within 5 s, its store closed and its endpoint file gone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_record
from kg.stores import QueryLimit

ROOT = Path(__file__).resolve().parent.parent
CROSS = "MATCH (a),(b),(c) RETURN a.key AS a, b.key AS b, c.key AS c"


def _records(count: int) -> list[dict]:
    return [make_record(f"r{i:04d}", method=f"Net{i}", datasets=(f"Set{i % 40}", "COCO"))
            for i in range(count)]


def test_a_runaway_query_stops_at_its_limits_and_the_store_answers(store):
    store.load(_records(150))  # ~350 nodes: the cross product has ~4e7 rows
    started = time.monotonic()
    keys, rows = store.console(CROSS, row_limit=10, timeout=30)
    assert keys == ["a", "b", "c"] and len(rows) == 10
    assert time.monotonic() - started < 5  # the rest of the stream was not produced
    started = time.monotonic()
    with pytest.raises(QueryLimit, match="time limit reached"):
        store.console(CROSS, row_limit=10**9, timeout=2)
    assert time.monotonic() - started < 10
    assert store.read("MATCH (p:Paper) RETURN count(p) AS n") == [{"n": 150}]
    assert store.console("MATCH (p:Paper) RETURN count(p) AS n")[1] == [{"n": 150}]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kg(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 120), **kwargs)


def _released(home: Path, within: float = 10) -> None:
    """Wait until the holder the last command started has gone (it stops once idle)."""
    deadline = time.monotonic() + within
    while (home / "endpoint.json").exists():
        assert time.monotonic() < deadline, "the store's holder did not stop once idle"
        time.sleep(0.1)


def _holder_gone(home: Path, within: float) -> None:
    """The holder a command started for ``home`` ends within ``within`` seconds of it."""
    deadline = time.monotonic() + within
    while subprocess.run(["pgrep", "-f", f"serve --store {home}"], capture_output=True).returncode == 0 \
            or (home / "endpoint.json").exists():
        assert time.monotonic() < deadline, "the holder the command started is still running"
        time.sleep(0.1)


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")
def test_a_runaway_query_through_a_holder_is_stopped_on_the_server(tmp_path):
    home = tmp_path / "store"
    assert _kg("load", str(_write_jsonl(tmp_path / "r.jsonl", _records(150))), "--store", str(home)).returncode == 0
    _released(home)
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(home)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert server.stdout.readline().startswith("bolt://")
        started = time.monotonic()
        done = _kg("cypher", CROSS, "--store", str(home), "--timeout", "2", "--limit", "1000000000")
        assert time.monotonic() - started < 10
        assert done.returncode == 1 and "time limit reached" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        time.sleep(1)
        before = _cpu_seconds(server.pid)
        time.sleep(3)
        assert _cpu_seconds(server.pid) - before < 1.0  # the server is not still streaming it
        stats = _kg("stats", "--store", str(home), "--format", "json")
        assert stats.returncode == 0 and {"kind": "node", "name": "Paper", "count": 150} in json.loads(stats.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _stopped_within(process: subprocess.Popen, seconds: float) -> float:
    """SIGTERM ``process``; seconds until it and every process of its group are gone."""
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    while time.monotonic() - started < seconds + 5:
        done = process.poll() is not None
        group = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
        if done and not group:
            return time.monotonic() - started
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"still running {seconds + 5:.0f} s after SIGTERM: {group}")


def test_sigterm_stops_serve_mid_query_cypher_and_build_within_5_s(tmp_path):
    home = tmp_path / "store"
    assert _kg("load", str(_write_jsonl(tmp_path / "r.jsonl", _records(150))), "--store", str(home)).returncode == 0
    _released(home)
    spawn = dict(cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    # kg serve while a client's runaway query runs on it
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(home)], **spawn)
    assert server.stdout.readline().startswith("bolt://")
    client = subprocess.Popen([sys.executable, "-m", "kg.cli", "cypher", CROSS, "--store", str(home),
                               "--timeout", "120", "--limit", "1000000000"], **spawn)
    time.sleep(4)
    assert _stopped_within(server, 5) < 5
    assert not (home / "endpoint.json").exists()
    _, said = client.communicate(timeout=30)
    assert client.returncode == 1 and said.startswith("error:"), said

    # kg cypher holding the store itself, mid-query
    query = subprocess.Popen([sys.executable, "-m", "kg.cli", "cypher", CROSS, "--store", str(home),
                              "--timeout", "120", "--limit", "1000000000"], **spawn)
    time.sleep(6)
    assert query.poll() is None
    took = _stopped_within(query, 5)
    assert query.returncode == 130 and "interrupted" in query.stderr.read()
    _holder_gone(home, 5 - took)  # and the holder it started, once idle

    # kg build with two extraction workers, mid-run
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps({"id": f"b{i}", "title": f"Paper {i}: NetX on COCO",
                                          "abstract": "We propose NetX. NetX reaches 50.1 AP on COCO. " * 20})
                              + "\n" for i in range(3000)))
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(papers), "--store", str(home),
                              "-j", "2"], **spawn)
    time.sleep(10)
    assert build.poll() is None
    took = _stopped_within(build, 5)
    _holder_gone(home, 5 - took)
    stats = _kg("stats", "--store", str(home), "--format", "json")  # the store opens: nothing broken
    assert stats.returncode == 0, stats.stderr
