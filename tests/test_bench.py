"""Smoke tests of the benchmark scripts on tiny data (tiny data written here, no JVM of their own; the datasets folder is not read)."""

from __future__ import annotations

import itertools
import json
import os
import sys

from conftest import ROOT, SAMPLE, make_record
from kg.ingest import read_papers
from kg.stores import EmbeddedStore

sys.path.insert(0, str(ROOT))  # bench/ is run from the repository root, not installed
from bench.generate import generate, scitldr_papers, write  # noqa: E402
from bench.naive import naive_load  # noqa: E402
from bench.run import median, p95  # noqa: E402


def _fake_scitldr(root):
    folder = root / "scitldr"
    folder.mkdir(parents=True)
    with open(folder / "train.jsonl", "w", encoding="utf-8") as handle:
        for paper in itertools.islice(read_papers([SAMPLE]), 10):
            sentences = [s.strip() + "." for s in paper.abstract.split(". ") if s.strip()]
            handle.write(json.dumps({"paper_id": paper.id, "title": paper.title,
                                     "source": sentences, "target": []}) + "\n")
    return root


def test_generated_corpus_recombines_real_sentences(tmp_path):
    papers = scitldr_papers(_fake_scitldr(tmp_path))
    assert len(papers) == 10
    out = tmp_path / "corpus.jsonl"
    write(out, papers, 50)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"syn-{i:07d}" for i in range(50)]
    assert len({r["abstract"] for r in rows}) > 40  # recombined: (almost) all differ
    sentences = {s for _title, body in papers for s in body}
    first = {title: body[0] for title, body in papers}
    assert all(row["abstract"].startswith(first[row["title"]]) for row in rows)  # real base paper
    assert [row["abstract"] for row in rows[:10]] == [" ".join(body) for _t, body in papers]
    assert any(s in rows[30]["abstract"] for s in sentences)
    assert list(generate(papers, 20, seed=1)) == list(generate(papers, 20, seed=1))
    assert len(list(read_papers([out]))) == 50  # kg build reads it


def test_naive_loader_builds_the_same_graph(store, server, store_home):
    records = [make_record(f"p{i}", method=f"Net{i % 3}", datasets=("COCO", f"D{i % 2}"))
               for i in range(6)]
    store.load(records)
    for per_paper in (True, False):
        other = EmbeddedStore(store_home, database=f"naive{int(per_paper)}_{os.getpid()}")
        try:
            report = naive_load(other, records, per_paper=per_paper)
            assert report.papers == 6
            assert other.stats() == store.stats()
        finally:
            other.close()


def test_statistics():
    assert median([3, 1, 2]) == 2 and median([None, 4]) == 4 and median([]) is None
    assert p95(list(range(1, 101))) == 95 and p95([5]) == 5


def test_query_section_times_every_named_query(sample_store, capsys):
    """The queries section on the sample: every named query answers, lookups
    also around a median dataset (params.cypher picks both from the graph)."""
    import argparse

    from bench.run import bench_queries
    from kg.queries import named_queries

    args = argparse.Namespace(query_runs=2, query_budget=1.0, query_warmup=2, query_passes=2, queries=None)
    results = bench_queries(args, sample_store, "sample")
    assert results["params"]["dataset"] and results["params_median_dataset"]["dataset"]
    assert results["params"]["dataset"] != results["params_median_dataset"]["dataset"]
    assert set(results["queries"]) == set(named_queries())
    for name, entry in results["queries"].items():
        assert "error" not in entry, (name, entry)
        assert entry["runs"] >= 4 and len(entry["passes"]) == 2 and entry["median_ms"] > 0
        assert all(p["p95_ms"] >= p["median_ms"] for p in entry["passes"])
        if entry["kind"] == "lookup":
            assert "error" not in entry["median_dataset"], (name, entry)
    assert results["queries"]["entity-index"]["rows_per_s"] > 0  # a listing: rows/s, not the latency target
    target = results["latency_target"]
    assert target["checked"] == len(named_queries()) - 3 and target["within"] <= target["checked"]
    assert "Named queries on sample" in capsys.readouterr().out


def test_query_section_times_only_the_queries_asked_for(sample_store):
    import argparse

    from bench.run import bench_queries

    args = argparse.Namespace(query_runs=2, query_budget=1.0, query_warmup=1, query_passes=1,
                              queries={"leaderboard", "entity-index"})
    results = bench_queries(args, sample_store, "sample")
    assert set(results["queries"]) == {"leaderboard", "entity-index"}
    assert results["latency_target"]["checked"] == 1
