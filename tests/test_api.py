"""The Python API (kg.open, Graph, kg.extract, kg.nlp) against the real embedded store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
from kg import export
from kg.queries import named_queries

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"
PARAMS = {"dataset": "COCO", "method": "OV-DINO", "q": "coco", "metric": "AP", "label": "Dataset", "name": "COCO",
          "key": "coco", "keys": ["coco"], "task": "Object Detection", "methods": ["OV-DINO", "MaskLLM"],
          "ids": ["Dataset:coco"], "limit": 5}


@pytest.fixture
def graph(sample_store, store_home):
    with kg.open(store_home, database="kg") as opened:
        yield opened


def test_version_and_typed_package():
    assert kg.__version__ and (ROOT / "kg" / "py.typed").exists()


def test_every_named_query_returns_a_frame_with_its_declared_columns(graph):
    listed = graph.queries()
    assert set(listed["name"]) == set(named_queries())
    papers = graph.query("papers", limit=3)
    paper = papers["paper"].iloc[0]
    for name, query in named_queries().items():
        params = {p: PARAMS.get(p, paper) for p in query.parameters if p not in query.optional or p in PARAMS}
        if "papers" in query.parameters:
            params["papers"] = [paper]
        frame = graph.query(name, **params)
        assert isinstance(frame, pd.DataFrame), name
        assert list(frame.columns) == list(query.returns), (name, list(frame.columns), query.returns)
    board = graph.query("leaderboard", dataset="COCO", metric="AP")
    assert board["method"].iloc[0] == "OV-DINO" and board["value"].iloc[0] == 58.4
    empty = graph.query("leaderboard", dataset="no such dataset")
    assert empty.empty and "method" in empty.columns  # the columns, even with no row


def test_cypher_reads_and_refuses_writes_with_one_line_errors(graph):
    frame = graph.cypher("MATCH (d:Dataset {name: $name}) RETURN d.name AS name", name="COCO")
    assert frame.to_dict("records") == [{"name": "COCO"}]
    # a Cypher parameter named like a keyword of cypher() goes in the params dict
    assert len(graph.cypher("MATCH (p:Paper) RETURN p.key AS k LIMIT $limit", {"limit": 2})) == 2
    columns, rows = graph.rows("leaderboard", dataset="COCO", metric="AP")  # what kg query prints
    assert columns[:3] == ["metric", "direction", "method"] and rows[0]["method"] == "OV-DINO"
    before = graph.stats()
    with pytest.raises(kg.QueryRefused) as refused:
        graph.cypher("CREATE (n:Method {key: 'x', name: 'X'}) RETURN n")
    assert "read-only" in str(refused.value) and "\n" not in str(refused.value)
    assert graph.stats() == before
    with pytest.raises(kg.QueryRefused, match="no named query 'nope'"):
        graph.query("nope")
    with pytest.raises(kg.QueryRefused, match="needs parameter"):
        graph.query("leaderboard")
    with pytest.raises(kg.LimitReached):
        graph.cypher("MATCH (a),(b),(c) RETURN a.key, b.key, c.key", limit=10**9, timeout=1)
    assert graph.stats() == before  # the store still answers


def test_to_networkx_equals_the_graphml_export(graph, tmp_path):
    whole = graph.to_networkx()
    assert isinstance(whole, nx.MultiDiGraph)
    export.export(graph.store, "graphml", tmp_path / "g.graphml")
    written = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (whole.number_of_nodes(), whole.number_of_edges()) == (written.number_of_nodes(), written.number_of_edges())
    around = graph.to_networkx("Dataset:NewsCLIPpings")
    assert "Dataset:newsclippings" in around and around.number_of_nodes() < whole.number_of_nodes()
    with pytest.raises(kg.BadInput):
        graph.to_networkx("no colon here")


def test_add_and_remove_papers(store, store_home):
    with kg.open(store_home, database=store.database) as graph:
        report = graph.add([{"id": "api-1", "title": "FooNet: fast detection",
                             "abstract": "We propose FooNet. FooNet reaches 51.2 AP on COCO."}])
        assert report.extracted == 1 and report.load.papers == 1
        assert graph.query("leaderboard", dataset="COCO")["value"].tolist() == [51.2]
        assert graph.add([{"id": "api-1", "title": "FooNet: fast detection",
                           "abstract": "We propose FooNet. FooNet reaches 51.2 AP on COCO."}]).extracted == 0
        assert graph.remove("api-1") == 1 and graph.stats()["nodes"].get("Paper", 0) == 0
        with pytest.raises(kg.BadInput, match="paper 1"):
            graph.add([{"title": "no abstract"}])


def test_extract_equals_kg_extract_on_the_sample(tmp_path):
    from kg.ingest import read_papers

    papers = [{"id": p.id, "title": p.title, "abstract": p.abstract} for p in read_papers([SAMPLE])][:15]
    source = tmp_path / "papers.jsonl"
    source.write_text("".join(json.dumps(p) + "\n" for p in papers))
    done = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(source)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    cli = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    api = list(kg.extract(papers))
    strip = lambda r: {k: v for k, v in r.items() if k != "source"}  # noqa: E731 - where it was read from
    assert [strip(r) for r in api] == [strip(r) for r in cli]


def test_nlp_pipes_texts_with_our_extensions():
    nlp = kg.nlp()
    docs = list(nlp.pipe(["We propose FooNet. FooNet reaches 51.2 AP on COCO."]))
    names = {(e["label"], e["name"]) for e in docs[0]._.kg_entities}  # token offsets, label, name, extractor
    assert ("Method", "FooNet") in names and ("Dataset", "COCO") in names
    assert [(r["method"], r["dataset"], r["metric"], r["value"]) for r in docs[0]._.kg_results] == \
        [("FooNet", "COCO", "AP", 51.2)]
    assert isinstance(docs[0]._.kg_relations, list)


def test_errors_when_the_store_cannot_be_opened(tmp_path):
    with pytest.raises(kg.StoreUnavailable):
        kg.open("bolt://127.0.0.1:1")


def test_the_api_over_a_bolt_uri(tmp_path, monkeypatch):
    """kg.open on a bolt:// URI (kg serve, ArcadeDB's Bolt server), credentials from the
    environment as for the CLI: queries, refused writes, networkx."""
    from conftest import kg_serve

    home = tmp_path / "served"
    with kg_serve(home) as (uri, secret):
        monkeypatch.setenv("NEO4J_USER", secret["user"])
        monkeypatch.setenv("NEO4J_PASSWORD", secret["password"])
        monkeypatch.setenv("KG_READER_USER", secret["reader_user"])
        monkeypatch.setenv("KG_READER_PASSWORD", secret["reader_password"])
        with kg.open(uri, database="kg") as graph:
            assert graph.add([{"id": "b1", "title": "FooNet", "abstract": "FooNet reaches 51.2 AP on COCO."}]).extracted == 1
            assert graph.query("leaderboard", dataset="COCO")["method"].tolist() == ["FooNet"]
            with pytest.raises(kg.QueryRefused):
                graph.cypher("MATCH (p:Paper) DETACH DELETE p")
            assert graph.stats()["nodes"]["Paper"] == 1
            assert "Paper:b1" in graph.to_networkx()
        monkeypatch.setenv("NEO4J_PASSWORD", "wrong")
        with pytest.raises(kg.StoreUnavailable):
            kg.open(uri, database="kg")


def test_load_export_and_analysis_through_the_api(store, store_home, tmp_path):
    """kg load, kg export and kg stats --analysis are Graph.load / export / analysis: records or
    their files load the same, exports are written with their counts, bad input is BadInput."""
    from conftest import make_record

    records = [make_record("api-l1", method="FooNet", datasets=("COCO",)),
               make_record("api-l2", method="BarNet", datasets=("COCO", "LVIS"))]
    shard = tmp_path / "records.jsonl"
    shard.write_text("".join(json.dumps(r) + "\n" for r in records[1:]))
    with kg.open(store_home, database=store.database) as graph:
        assert graph.load(records[:1]).papers == 1
        assert graph.load(str(shard)).papers == 1 and graph.load([shard]).unchanged == 1
        written = graph.export(tmp_path / "g.gexf", "gexf")
        assert (written["nodes"], written["relationships"]) == (graph.to_networkx().number_of_nodes(),
                                                                graph.to_networkx().number_of_edges())
        assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == written["nodes"]
        assert {row["dataset"] for row in graph.analysis(top=5)["most_evaluated_datasets"]} >= {"COCO"}
        with pytest.raises(kg.BadInput, match="unknown export format"):
            graph.export(tmp_path / "g.x", "pdf")
        with pytest.raises(kg.BadInput, match="no Dataset called"):
            graph.to_networkx("Dataset:Nowhere")
        with pytest.raises(kg.BadInput, match="record 1"):
            graph.load([{"title": "no id"}])
        with pytest.raises(kg.BadInput, match="missing.jsonl: no such file"):
            graph.load("missing.jsonl")
        with pytest.raises(kg.BadInput, match="missing.jsonl: no such file"):
            graph.add("missing.jsonl")  # a file name, not an abstract
        assert graph.stats()["nodes"]["Paper"] == 2  # nothing stored was lost


def test_cli_api_and_explorer_give_the_same_answers(graph, store_home, tmp_path):
    """One implementation of each operation: the CLI and the explorer are layers over kg.api."""
    from kg import explorer

    def kg_cli(*args):
        done = subprocess.run([sys.executable, "-m", "kg.cli", *args, "--store", str(store_home)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, env={**os.environ, "KG_DATABASE": "kg"})
        assert done.returncode == 0, done.stderr
        return done

    board = graph.query("leaderboard", dataset="COCO")
    cli = json.loads(kg_cli("query", "leaderboard", "-p", "dataset=COCO", "-f", "json").stdout)
    assert cli == graph.rows("leaderboard", dataset="COCO")[1] == explorer.leaderboard(graph, "COCO")
    assert [row["method"] for row in cli] == board["method"].tolist()
    counts = json.loads(kg_cli("stats", "-f", "json").stdout)
    assert {(r["kind"], r["name"]): r["count"] for r in counts} == {
        **{("node", k): v for k, v in graph.stats()["nodes"].items()},
        **{("relationship", k): v for k, v in graph.stats()["relations"].items()}}
    kg_cli("export", "-o", str(tmp_path / "cli.graphml"), "--around", "Dataset:COCO")
    graph.export(tmp_path / "api.graphml", around="Dataset:COCO")
    assert (tmp_path / "cli.graphml").read_bytes() == (tmp_path / "api.graphml").read_bytes()
