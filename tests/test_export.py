"""Exports from a real (embedded ArcadeDB) store: GraphML, GEXF, JSON, neo4j-admin CSV."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter

import networkx as nx
import pytest

from conftest import make_record
from kg import schema
from kg.export import (FORMATS, export, header_problems, import_command, parse_around, to_bytes,
                       to_networkx, write)
from kg.queries import named_query


def _records() -> list[dict]:
    first = make_record("p1", method="FooNet", datasets=("COCO", "LVIS"),
                        abstract="FooNet detects objects.\nIt is fast.", year=2023)
    first["entities"].append({"label": "Dataset", "name": "COCO", "text": "MS COCO",
                              "aliases": ["MS-COCO 2017"], "field": "abstract", "start": 0, "end": 7})
    first["entities"].append({"label": "Task", "name": "object detection", "text": "object detection",
                              "field": "abstract", "start": 0, "end": 16})
    first["relations"] += [
        {"type": "BUILDS_ON", "source": "FooNet", "source_label": "Method", "target": "DETR",
         "target_label": "Method", "evidence": "FooNet builds on DETR.", "confidence": 0.7},
        {"type": "OUTPERFORMS", "source": "FooNet", "source_label": "Method", "target": "DETR",
         "target_label": "Method", "evidence": "FooNet outperforms DETR.", "confidence": 0.7},
        {"type": "COMPARES_WITH", "source": "p1", "source_label": "Paper", "target": "DETR",
         "target_label": "Method", "evidence": "FooNet outperforms DETR.", "confidence": 0.7},
        {"type": "APPLIED_TO", "source": "FooNet", "source_label": "Method", "target": "ViT",
         "target_label": "Method", "evidence": "We apply FooNet to ViT.", "confidence": 0.6},
        {"type": "MENTIONS", "source": "p1", "source_label": "Paper", "target": "mAP",
         "target_label": "Metric", "evidence": "FooNet detects objects.", "confidence": 0.7},
        {"type": "ADDRESSES", "source": "p1", "source_label": "Paper", "target": "object detection",
         "target_label": "Task", "evidence": "FooNet detects objects.", "confidence": 0.6},
        {"type": "HAS_CODE", "source": "p1", "source_label": "Paper",
         "target": "https://github.com/example/foonet", "target_label": "Code",
         "evidence": "Code: https://github.com/example/foonet", "confidence": 1.0},
    ]
    first["results"] = [
        {"method": "FooNet", "dataset": "COCO", "metric": "AP", "value": 50.6, "unit": "%",
         "kind": "score", "evidence": "FooNet reaches an AP of 50.6% on COCO.", "start": 3,
         "end": 40, "confidence": 0.9},
        {"method": "FooNet", "dataset": "LVIS", "metric": "AP", "value": 40, "unit": "%",
         "kind": "score", "evidence": "It reaches 40% on LVIS."}]
    second = make_record("p2", method="BarNet", datasets=("COCO",), title="Another paper")
    second["relations"].append({"type": "INTRODUCES", "source": "p2", "source_label": "Paper",
                                "target": "COCO-Hard", "target_label": "Dataset",
                                "evidence": "We release COCO-Hard.", "confidence": 0.9})
    second["results"] = [{"method": "BarNet", "dataset": "COCO", "metric": "AP", "value": 52.1,
                          "unit": "%", "kind": "score", "evidence": "BarNet gets 52.1 AP on COCO."}]
    third = make_record("p3", method="BazNet", datasets=("ImageNet",), title="Third paper")
    third["results"] = [{"method": "BazNet", "dataset": "ImageNet", "metric": "Top-1 accuracy",
                         "value": 88.5, "unit": "%", "evidence": "BazNet reaches 88.5% top-1."}]
    fourth = make_record("p4", method="FooNet", datasets=("COCO",), title="Fourth paper")
    fourth["relations"].append({"type": "USES", "source": "p4", "source_label": "Paper", "target": "BarNet v2",
                                "target_label": "Method", "evidence": "We use BarNet v2.", "confidence": 0.8})
    return [first, second, third, fourth]  # "BarNet v2" is a VARIANT_OF "BarNet"


@pytest.fixture
def loaded(store):
    store.load(_records())
    return store


def _label_counts(graph) -> dict[str, int]:
    return dict(Counter(data["label"] for _, data in graph.nodes(data=True)))


def _type_counts(graph) -> dict[str, int]:
    return dict(Counter(data["type"] for *_, data in graph.edges(data=True)))


def _assert_same_counts(graph, stats) -> None:
    assert _label_counts(graph) == stats["nodes"]
    assert _type_counts(graph) == stats["relations"]
    assert graph.number_of_nodes() == sum(stats["nodes"].values())
    assert graph.number_of_edges() == sum(stats["relations"].values())


# --- the networkx graph --------------------------------------------------------

def test_whole_graph_has_every_node_and_relationship_with_properties(loaded):
    graph = to_networkx(loaded)
    stats = loaded.stats()
    _assert_same_counts(graph, stats)
    assert set(stats["nodes"]) == set(schema.NODE_LABELS)  # the fixture touches every label
    assert set(stats["relations"]) == set(schema.RELATION_TYPES)
    coco = graph.nodes["Dataset:coco"]
    assert coco["label"] == "Dataset" and coco["key"] == "coco" and coco["name"] == "COCO"
    assert {"COCO", "MS COCO", "MS-COCO 2017"} <= set(coco["aliases"])
    paper = graph.nodes["Paper:p1"]
    assert paper["title"] == "A paper" and paper["year"] == 2023 and "id" not in paper
    edges = graph.get_edge_data("Paper:p1", "Dataset:coco")
    (edge,) = edges.values()
    assert edge["type"] == "EVALUATES_ON" and edge["paper"] == "p1"
    assert edge["confidence"] == pytest.approx(0.8) and edge["start"] == 0
    assert all(value is not None for _, data in graph.nodes(data=True) for value in data.values())


def test_neighbourhood_of_a_dataset_contains_exactly_the_expected_nodes(loaded):
    whole = to_networkx(loaded)
    coco_results = {n for n, d in whole.nodes(data=True) if d["label"] == "Result" and d["dataset"] == "COCO"}
    assert len(coco_results) == 2

    graph = to_networkx(loaded, around=("Dataset", "COCO"), hops=1)
    assert set(graph) == {"Dataset:coco", "Paper:p1", "Paper:p2", "Paper:p4", "Method:foonet",
                          "Method:barnet", *coco_results}
    # every relationship among those nodes, and only those
    assert _type_counts(graph) == {"EVALUATES_ON": 3, "REPORTS_ON": 3, "ON": 2, "INTRODUCES": 3,
                                   "HAS_RESULT": 2, "ACHIEVES": 2}
    # one REPORTS_ON per paper: parallel edges keyed by type and paper
    assert set(graph["Method:foonet"]["Dataset:coco"]) == {"REPORTS_ON:p1", "REPORTS_ON:p4"}
    assert graph.graph["around"] == "Dataset:COCO" and graph.graph["hops"] == 1


def test_neighbourhood_finds_aliases_and_keys_and_grows_with_hops(loaded):
    by_alias = to_networkx(loaded, around=("Dataset", "ms coco"), hops=1)
    by_key = to_networkx(loaded, around=("Dataset", "C-O-C-O"), hops=1)  # entity key 'coco'
    assert set(by_alias) == set(by_key)
    assert set(to_networkx(loaded, around=("Dataset", "COCO"), hops=0)) == {"Dataset:coco"}

    two = to_networkx(loaded, around=("Dataset", "coco"), hops=2)
    labels = _label_counts(two)
    assert {"Dataset:lvis", "Dataset:cocohard", "Method:detr", "Metric:ap", "Code:https://github.com/example/foonet"} <= set(two)
    assert labels["Task"] == 1 and labels["Result"] == 3
    assert not {"Paper:p3", "Method:baznet", "Dataset:imagenet"} & set(two)

    paper = to_networkx(loaded, around=("Paper", "p3"), hops=1)
    assert set(paper) >= {"Paper:p3", "Method:baznet", "Dataset:imagenet"}
    assert set(to_networkx(loaded, around=("Paper", "third PAPER"), hops=1)) == set(paper)


def test_neighbourhood_of_something_unknown_is_an_error(loaded):
    with pytest.raises(LookupError):
        to_networkx(loaded, around=("Dataset", "No Such Set"))
    with pytest.raises(ValueError):
        to_networkx(loaded, around=("Planet", "COCO"))
    with pytest.raises(ValueError):
        to_networkx(loaded, around=("Dataset", "COCO"), hops=-1)


def test_parse_around():
    assert parse_around("Dataset:COCO") == ("Dataset", "COCO")
    assert parse_around("dataset: MS COCO ") == ("Dataset", "MS COCO")
    assert parse_around("Code:https://github.com/x/y") == ("Code", "https://github.com/x/y")
    for bad in ("COCO", "Planet:Mars", "Dataset:", ":COCO"):
        with pytest.raises(ValueError):
            parse_around(bad)


def test_export_queries_are_named_queries_with_optional_ids():
    for name in ("export-nodes", "export-relationships"):
        query = named_query(name)
        assert query.optional == ("ids",) and query.returns
    assert named_query("export-neighbours").parameters == ("ids",)
    assert named_query("export-find").parameters == ("label", "name")


def test_parameters_with_quotes_are_not_spliced(loaded):
    before = loaded.stats()
    with pytest.raises(LookupError):
        to_networkx(loaded, around=("Dataset", "x') DETACH DELETE n //"))
    assert loaded.stats() == before


# --- file formats ----------------------------------------------------------------

def test_graphml_round_trips_through_networkx(loaded, tmp_path):
    result = export(loaded, "graphml", tmp_path / "kg.graphml")
    stats = loaded.stats()
    read = nx.read_graphml(tmp_path / "kg.graphml")
    assert isinstance(read, nx.MultiDiGraph)  # parallel edges (one per paper) survive
    assert set(read["Method:foonet"]["Dataset:coco"]) == {"REPORTS_ON:p1", "REPORTS_ON:p4"}
    _assert_same_counts(read, stats)
    assert result["nodes"] == read.number_of_nodes() and result["relationships"] == read.number_of_edges()
    coco = read.nodes["Dataset:coco"]
    assert coco["label"] == "Dataset" and "MS COCO" in json.loads(coco["aliases"])
    values = {d["value"] for _, d in read.nodes(data=True) if d["label"] == "Result"}
    assert values == {50.6, 40.0, 52.1, 88.5}  # ints and floats unified to one GraphML type


def test_gexf_is_readable_and_labelled_for_gephi(loaded, tmp_path):
    graph = to_networkx(loaded)
    write(graph, "gexf", tmp_path / "kg.gexf")
    read = nx.read_gexf(tmp_path / "kg.gexf")
    assert read.number_of_nodes() == graph.number_of_nodes()
    assert read.number_of_edges() == graph.number_of_edges()
    coco = read.nodes["Dataset:coco"]
    assert coco["label"] == "COCO" and coco["node_label"] == "Dataset" and coco["kg_key"] == "coco"
    relations = Counter(d["relation"] for *_, d in read.edges(data=True))
    assert dict(relations) == loaded.stats()["relations"]
    assert read.graph.get("mode", "static") == "static"  # offsets did not become time spans


def test_json_round_trips(loaded, tmp_path):
    graph = to_networkx(loaded)
    write(graph, "json", tmp_path / "kg.json")
    data = json.loads((tmp_path / "kg.json").read_text(encoding="utf-8"))
    assert {"nodes", "edges", "directed", "multigraph"} <= set(data)
    back = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(back, graph)
    assert back.nodes["Paper:p1"]["abstract"] == "FooNet detects objects.\nIt is fast."


def _read_csv_dir(files: dict[str, str]) -> dict[str, list[list[str]]]:
    return {name: list(csv.reader(io.StringIO(text))) for name, text in files.items() if name.endswith(".csv")}


def test_csv_matches_the_neo4j_admin_import_format(loaded, tmp_path):
    result = export(loaded, "csv", tmp_path / "csv")
    stats = loaded.stats()
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir()}
    assert sorted(files) == sorted([f"nodes_{label}.csv" for label in stats["nodes"]]
                                   + [f"relationships_{t}.csv" for t in stats["relations"]]
                                   + ["import.sh"])
    assert len(result["files"]) == len(files)
    tables = _read_csv_dir(files)
    ids: set[str] = set()
    for label, count in stats["nodes"].items():
        header, *rows = tables[f"nodes_{label}.csv"]
        assert header_problems(header, "nodes") == [], header
        assert header[:3] == [":ID", "key", "name"] and header[-1] == ":LABEL"
        assert len(rows) == count and all(row[-1] == label for row in rows)
        ids |= {row[0] for row in rows}
    for rel_type, count in stats["relations"].items():
        header, *rows = tables[f"relationships_{rel_type}.csv"]
        assert header_problems(header, "relationships") == [], header
        assert header[:4] == [":START_ID", ":END_ID", ":TYPE", "paper"]
        assert len(rows) == count and all(row[2] == rel_type for row in rows)
        assert all(row[0] in ids and row[1] in ids for row in rows)  # every endpoint is a node

    header, *rows = tables["nodes_Dataset.csv"]
    coco = dict(zip(header, next(row for row in rows if row[0] == "Dataset:coco")))
    assert set(coco["aliases:string[]"].split(";")) >= {"COCO", "MS COCO", "MS-COCO 2017"}
    assert "value:double" in tables["nodes_Result.csv"][0] and "year:int" in tables["nodes_Paper.csv"][0]
    assert {"confidence:double", "start:int", "end:int"} <= set(tables["relationships_EVALUATES_ON.csv"][0])

    script = files["import.sh"]
    assert 'database import full "$DATABASE"' in script
    assert "--multiline-fields=true" in script  # an abstract spans two lines
    for name in files:
        if name.startswith("nodes_"):
            assert f'--nodes="$DIR/{name}"' in script
        elif name.startswith("relationships_"):
            assert f'--relationships="$DIR/{name}"' in script


def test_csv_picks_another_array_delimiter_when_a_value_contains_it(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("Method:ab", label="Method", key="ab", name="A;B", aliases=["A;B", "AB"],
                   flags=[True, False], sizes=[1, 2])
    graph.add_node("Dataset:x", label="Dataset", key="x", name="X", score=float("nan"))
    graph.add_edge("Method:ab", "Dataset:x", type="REPORTS_ON", paper="p", confidence=1)
    write(graph, "csv", tmp_path)
    header, row = list(csv.reader((tmp_path / "nodes_Method.csv").open()))
    cells = dict(zip(header, row))
    assert cells["aliases:string[]"] == "A;B|AB"
    assert cells["flags:boolean[]"] == "true|false" and cells["sizes:int[]"] == "1|2"
    assert "'--array-delimiter=|'" in (tmp_path / "import.sh").read_text()
    header, row = list(csv.reader((tmp_path / "nodes_Dataset.csv").open()))
    assert dict(zip(header, row))["score:double"] == "NaN"
    header, row = list(csv.reader((tmp_path / "relationships_REPORTS_ON.csv").open()))
    assert dict(zip(header, row))["confidence:int"] == "1"


def test_import_command_is_neo4j_5_syntax():
    command = import_command(["nodes_Paper.csv"], ["relationships_USES.csv"], folder="/import")
    assert command == ["neo4j-admin", "database", "import", "full", "neo4j",
                       "--nodes=/import/nodes_Paper.csv", "--relationships=/import/relationships_USES.csv"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_to_bytes_for_a_download_button(loaded, fmt):
    graph = to_networkx(loaded, around=("Dataset", "COCO"))
    data, mime, filename = to_bytes(graph, fmt)
    assert data and "/" in mime and filename.endswith({"graphml": ".graphml", "gexf": ".gexf",
                                                       "json": ".json", "csv": ".zip"}[fmt])
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "nodes_Dataset.csv" in names and "import.sh" in names
    elif fmt == "json":
        assert nx.utils.graphs_equal(nx.node_link_graph(json.loads(data), edges="edges"), graph)
    elif fmt == "graphml":
        assert nx.read_graphml(io.BytesIO(data)).number_of_nodes() == graph.number_of_nodes()
    else:
        assert nx.read_gexf(io.BytesIO(data)).number_of_edges() == graph.number_of_edges()


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write(nx.MultiDiGraph(), "xlsx", tmp_path / "x")


# --- the neo4j-admin header checker ---------------------------------------------

@pytest.mark.parametrize("header,kind", [
    ([":ID", "key", "name", "aliases:string[]", "value:double", "year:int", ":LABEL"], "nodes"),
    (["movieId:ID", "title", "year:int", ":LABEL"], "nodes"),
    ([":ID(Paper)", "born:date", "loc:point{crs:WGS-84}", "when:datetime", "n:long[]", ":IGNORE"], "nodes"),
    ([":START_ID", ":END_ID", ":TYPE", "paper", "confidence:float", "start:int", "end:int"], "relationships"),
    ([":START_ID(Paper)", ":END_ID(Method)", "roles:string[]"], "relationships"),
])
def test_header_checker_accepts_valid_headers(header, kind):
    assert header_problems(header, kind) == []


@pytest.mark.parametrize("header,kind,problem", [
    (["key", "name", ":LABEL"], "nodes", ":ID"),
    ([":ID", ":ID", "name"], "nodes", ":ID"),
    ([":ID", "value:number"], "nodes", "unknown type"),
    ([":ID", "aliases:strings[]"], "nodes", "unknown type"),
    ([":ID", "aliases:string[", ":LABEL"], "nodes", "malformed"),
    ([":ID", ":name"], "nodes", "malformed"),
    ([":ID", "name:"], "nodes", "malformed"),
    ([":ID", "name", "name:string"], "nodes", "duplicate"),
    ([":ID", ":LABEL", ":TYPE"], "nodes", ":TYPE"),
    ([":START_ID", ":TYPE"], "relationships", ":END_ID"),
    ([":START_ID", ":END_ID", ":ID"], "relationships", ":ID"),
    ([":START_ID", ":END_ID", ":TYPE", ":TYPE"], "relationships", ":TYPE"),
])
def test_header_checker_rejects_bad_headers(header, kind, problem):
    problems = header_problems(header, kind)
    assert problems and any(problem in p for p in problems), problems


def test_hostile_text_loads_and_every_export_parses(tmp_path):
    """Control characters, lone surrogates and formula-leading text through ``kg load``: the
    GraphML/GEXF exports parse with xml.etree, the CSV ones with csv, the text comes back (the
    unstorable characters as U+FFFD), and CSV meant for people escapes formulas."""
    import csv as _csv
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    title = 'Bad\x01title \ud800 =HYPERLINK("http://e")'
    record = {"id": "x1", "title": title, "abstract": "Abs\x0btract.",
              "entities": [{"label": "Dataset", "name": "=cmd|' /C calc'!A0", "text": "x"}],
              "relations": [{"type": "EVALUATES_ON", "source": "x1", "source_label": "Paper",
                             "target": "=cmd|' /C calc'!A0", "target_label": "Dataset",
                             "evidence": "We \x07test \udc00 on it."}], "results": []}
    source = tmp_path / "records.jsonl"
    source.write_text(json.dumps(record) + "\n")  # json.dumps writes the surrogate as \ud800
    home = tmp_path / "store"

    def kg(*args):
        done = subprocess.run([sys.executable, "-m", "kg.cli", *args, "--store", str(home)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    kg("load", str(source))
    stored = 'Bad\ufffdtitle \ufffd =HYPERLINK("http://e")'
    for fmt in ("graphml", "gexf"):
        kg("export", "-f", fmt, "-o", str(tmp_path / f"out.{fmt}"))
        texts = [e.text for e in ET.parse(tmp_path / f"out.{fmt}").iter() if e.text] + \
                [v for e in ET.parse(tmp_path / f"out.{fmt}").iter() for v in e.attrib.values()]
        assert stored in texts and "We \ufffdtest \ufffd on it." in texts, fmt
    kg("export", "-f", "csv", "-o", str(tmp_path / "csv"))
    cells = [c for f in (tmp_path / "csv").glob("*.csv") for row in _csv.reader(open(f, encoding="utf-8"))
             for c in row]
    assert stored in cells and "=cmd|' /C calc'!A0" in cells  # exact, for neo4j-admin
    assert "do not open these files in a spreadsheet" in (tmp_path / "csv" / "import.sh").read_text()
    rows = list(_csv.DictReader(io.StringIO(kg("query", "papers", "-f", "csv"))))
    assert rows[0]["title"] == stored  # not formula-leading: as stored
    rows = list(_csv.DictReader(io.StringIO(kg("cypher", "MATCH (d:Dataset) RETURN d.name AS name", "-f", "csv"))))
    assert rows == [{"name": "'=cmd|' /C calc'!A0"}]  # escaped for a spreadsheet
