"""The ``kg`` command line, driven as a user would, against the real embedded store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE
from kg.cli import app

runner = CliRunner()


def kg(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def cli_store(server, store_home, request):
    """(store dir, database) options for a database of this test's own."""
    return ["--store", str(store_home), "--database", f"cli_{request.node.name[:30]}"]


def _stats(store_opts) -> dict:
    result = kg("stats", *store_opts, "--format", "json")
    assert result.exit_code == 0, result.output
    return {(r["kind"], r["name"]): r["count"] for r in json.loads(result.stdout)}


def test_build_then_ask_which_methods_report_on_newsclippings(cli_store):
    result = kg("build", SAMPLE, *cli_store)
    assert result.exit_code == 0, result.output
    # piped (not a terminal): plain progress lines instead of a bar, then the summary
    assert "building: 119/119 papers" in result.stderr and "loaded 119 papers" in result.stderr
    first = _stats(cli_store)
    result = kg("query", "methods-on-dataset", "-p", "dataset=newsclippings", *cli_store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    lamar = [r for r in rows if r["method"] == "LAMAR"]
    assert lamar, rows
    assert "LAMAR sets new state-of-the-art on both NewsCLIPpings and VERITE" in lamar[0]["evidence"]
    assert kg("build", SAMPLE, *cli_store).exit_code == 0
    assert _stats(cli_store) == first  # building twice changes nothing


def test_extract_writes_the_documented_shape_for_every_sample_paper(tmp_path):
    out = tmp_path / "out.jsonl"
    result = kg("extract", SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 119
    for record in records:
        assert isinstance(record["id"], str) and record["id"]
        assert isinstance(record["title"], str) and record["title"]
        for entity in record["entities"]:
            assert entity["label"] in {"Method", "Dataset", "Task", "Metric"}
            assert entity["field"] in {"title", "abstract"}
            text = record["title"] if entity["field"] == "title" else record["abstract"]
            assert text[entity["start"]:entity["end"]] == entity["text"]
            assert entity["name"]
        for relation in record["relations"]:
            assert relation["type"] in {"INTRODUCES", "EVALUATES_ON", "USES", "ADDRESSES", "HAS_CODE",
                                        "REPORTS_ON", "OUTPERFORMS", "BUILDS_ON", "APPLIED_TO", "COMPARES_WITH",
                                        "MENTIONS"}
            assert relation["source_label"] in {"Paper", "Method"}
            assert relation["target_label"] in {"Method", "Dataset", "Task", "Metric", "Code"}
            assert relation["evidence"] and 0.0 <= relation["confidence"] <= 1.0
            assert relation["source"] and relation["target"]
        for res in record["results"]:
            assert isinstance(res["value"], (int, float))
            assert {"method", "dataset", "metric", "unit", "setting", "evidence"} <= set(res)


def test_bad_records_are_reported_with_file_and_line_and_the_rest_is_loaded(cli_store, tmp_path):
    papers = tmp_path / "papers.jsonl"
    good = {"title": "A Neural Widget", "abstract": "We propose WidgetNet. WidgetNet reaches 91.2% accuracy on CIFAR-10."}
    papers.write_text(json.dumps(good) + "\n" + '{"title": "Broken", "abstr\n'
                      + json.dumps({"abstract": "No title here."}) + "\n")
    result = kg("build", papers, *cli_store)
    assert result.exit_code == 3
    assert f"{papers}:2:" in result.stderr and f"{papers}:3:" in result.stderr
    assert "Traceback" not in result.output
    assert _stats(cli_store)[("node", "Paper")] == 1


def test_strict_mode_stops_at_the_first_bad_record_and_stores_nothing(cli_store, tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text('{"title": "Broken", "abstr\n')
    result = kg("build", papers, "--strict", *cli_store)
    assert result.exit_code != 0 and f"{papers}:1:" in result.stderr
    assert ("node", "Paper") not in _stats(cli_store)


def test_missing_input_file_is_one_line(cli_store):
    result = kg("build", "no/such/file.jsonl", *cli_store)
    assert result.exit_code != 0
    assert "no/such/file.jsonl" in result.stderr and "Traceback" not in result.output


def test_console_refuses_writes_with_one_line(cli_store):
    kg("build", SAMPLE, *cli_store)
    before = _stats(cli_store)
    result = kg("cypher", "MATCH (n) DETACH DELETE n", *cli_store)
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _stats(cli_store) == before
    result = kg("cypher", "MATCH (d:Dataset) RETURN d.name AS name ORDER BY name LIMIT 3",
                *cli_store, "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 3


def test_unknown_query_lists_the_known_ones(cli_store):
    result = kg("query", "no-such-query", *cli_store)
    assert result.exit_code == 1 and "methods-on-dataset" in result.stderr


def test_query_without_name_lists_the_library():
    result = kg("query", "--format", "json")
    names = {row["query"] for row in json.loads(result.stdout)}
    assert {"methods-on-dataset", "leaderboard", "search"} <= names


def test_csv_output_has_a_header(cli_store):
    kg("build", SAMPLE, *cli_store)
    result = kg("query", "datasets", *cli_store, "--format", "csv")
    assert result.stdout.splitlines()[0] == "dataset,methods,papers"


def test_remove_paper(cli_store, tmp_path):
    papers = tmp_path / "two.jsonl"
    papers.write_text("\n".join(json.dumps(p) for p in [
        {"id": "x1", "title": "Gizmo", "abstract": "We propose GizmoNet, evaluated on the ImageNet dataset."},
        {"id": "x2", "title": "Gadget", "abstract": "We propose GadgetNet, evaluated on the ImageNet dataset."}]) + "\n")
    assert kg("build", papers, *cli_store).exit_code == 0
    assert kg("remove", "x1", *cli_store).exit_code == 0
    stats = _stats(cli_store)
    assert stats[("node", "Paper")] == 1
    assert kg("remove", "x1", *cli_store).exit_code == 4  # already gone: said, not silent


def test_a_hostile_corpus_builds_what_it_can_and_says_what_it_skipped(cli_store, tmp_path):
    files = tmp_path / "hostile"
    files.mkdir()
    (files / "empty.jsonl").write_text("")
    (files / "binary.jsonl").write_bytes(b"\x00\x01\x02\xff" * 100)
    (files / "latin1.csv").write_bytes("title,abstract\nCaf\xe9 Nets,We propose CafeNet for r\xe9sum\xe9 parsing.\n"
                                       .encode("latin-1"))
    (files / "utf16.jsonl").write_text(json.dumps({"title": "Wide Text", "abstract": "We propose WideNet ≥ 2× faster."}) + "\n",
                                       encoding="utf-16")
    (files / "crlf.jsonl").write_bytes((json.dumps({"title": "Line Ends", "abstract": "We propose CRNet.\u00a0It works."})
                                        + "\r\n").encode("utf-8-sig"))
    (files / "latex.jsonl").write_text(json.dumps({"title": "E$^{2}$GAN", "abstract": "\\method{} reaches 50.6\\% AP on COCO &amp; LVIS."}) + "\n")
    (files / "deep.jsonl").write_text('{"title": "Deep", "abstract": ' + "[" * 1000 + "]" * 1000 + "}\n"
                                      + json.dumps({"title": "Shallow", "abstract": "We propose ShallowNet."}) + "\n")
    result = kg("build", *sorted(files.iterdir()), *cli_store)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "binary.jsonl" in result.stderr and "deep.jsonl:1" in result.stderr
    papers = _stats(cli_store)[("node", "Paper")]
    assert papers == 5  # Café Nets, Wide Text, Line Ends, E2GAN, Shallow


def test_graphml_export_of_the_sample_round_trips_with_kg_stats_counts(cli_store, tmp_path):
    import networkx as nx

    assert kg("build", SAMPLE, *cli_store).exit_code == 0
    stats = _stats(cli_store)
    path = tmp_path / "sample.graphml"
    result = kg("export", "--format", "graphml", "-o", path, *cli_store)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(path)
    nodes = sum(v for (kind, _), v in stats.items() if kind == "node")
    relationships = sum(v for (kind, _), v in stats.items() if kind == "relationship")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, relationships)
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert {"Paper", "Method", "Dataset"} <= labels
