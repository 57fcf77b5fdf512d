"""Every named query gives the same rows on the embedded store and on a
separately started Bolt server process (reached as a plain ``bolt://`` URI)."""

from __future__ import annotations


import pytest

from conftest import kg_serve, make_record
from kg.queries import named_queries
from kg.stores import StoreError, open_store

PARAMS = {"dataset": "COCO", "method": "FooNet", "q": "coco", "paper": "p1", "metric": "AP",
          "limit": 10, "ids": ["Dataset:coco", "Paper:p1", "Method:foonet"], "label": "Dataset",
          "name": "COCO", "key": "coco", "keys": ["coco"], "task": "Object Detection",
          "methods": ["FooNet", "BarNet"], "papers": ["p1", "p2"]}


def _records():
    first = make_record("p1", method="FooNet", datasets=("COCO", "LVIS"), year=2023)  # p2 undated
    first["results"] = [
        {"method": "FooNet", "dataset": "COCO", "metric": "AP", "value": 50.6, "unit": "%",
         "kind": "score", "evidence": "FooNet reaches an AP of 50.6% on COCO."},
        {"method": "FooNet", "dataset": "LVIS", "metric": "AP", "value": 40.0, "unit": "%",
         "kind": "score", "evidence": "It reaches 40.0% on LVIS."}]
    first["relations"].append({"type": "BUILDS_ON", "source": "FooNet", "source_label": "Method",
                               "target": "DETR", "target_label": "Method",
                               "evidence": "FooNet builds on DETR.", "confidence": 0.7})
    first["relations"].append({"type": "OUTPERFORMS", "source": "FooNet", "source_label": "Method",
                               "target": "DETR", "target_label": "Method",
                               "evidence": "FooNet outperforms DETR.", "confidence": 0.7})
    first["relations"].append({"type": "ADDRESSES", "source": "p1", "source_label": "Paper",
                               "target": "Object Detection", "target_label": "Task",
                               "evidence": "We study object detection.", "confidence": 0.8})
    first["relations"].append({"type": "HAS_CODE", "source": "p1", "source_label": "Paper",
                               "target": "https://github.com/example/foonet", "target_label": "Code",
                               "evidence": "Code: https://github.com/example/foonet", "confidence": 0.9})
    second = make_record("p2", method="BarNet", datasets=("COCO", "COCO test-dev"), title="Another paper")
    second["results"] = [{"method": "BarNet", "dataset": "COCO", "metric": "AP", "value": 52.1,
                          "unit": "%", "kind": "score", "evidence": "BarNet gets 52.1 AP on COCO."}]
    second["relations"].append({"type": "INTRODUCES", "source": "p2", "source_label": "Paper",
                                "target": "COCO 2025", "target_label": "Dataset",
                                "evidence": "We release COCO 2025.", "confidence": 0.9})
    return [first, second]


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory):
    """``kg serve`` in its own process: a real Bolt server on loopback."""
    with kg_serve(tmp_path_factory.mktemp("served")) as server:
        yield server


def test_named_queries_agree_between_embedded_and_separate_bolt_server(store, bolt_server, monkeypatch):
    uri, secret = bolt_server
    monkeypatch.setenv("NEO4J_USER", secret["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", secret["password"])
    remote = open_store(uri)
    try:
        assert remote.kind == "bolt" and "ArcadeDB" in remote.server_agent
        store.load(_records())
        remote.load(_records())
        for name, query in named_queries().items():
            params = {p: PARAMS[p] for p in query.parameters}
            here, there = store.run_named(name, params), remote.run_named(name, params)
            assert here, f"{name} returned no rows: the fixture should exercise it"
            assert here == there, name
        assert store.run_named("leaderboard", {"dataset": "coco"})[0]["method"] == "BarNet"
    finally:
        remote.close()


def test_separate_server_refuses_wrong_credentials(bolt_server, monkeypatch):
    uri, secret = bolt_server
    monkeypatch.setenv("NEO4J_USER", secret["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-password")
    with pytest.raises(StoreError):
        open_store(uri)
