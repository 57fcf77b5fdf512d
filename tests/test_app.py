"""The explorer driven headlessly with Streamlit's AppTest, against a real ArcadeDB.

Views that only read run on the bundled sample (database ``kg``, the
``sample_store`` fixture); the console's refusals and adding papers run on a
database of their own with hand-made records, so they cannot disturb the
sample other tests rely on. The store is reached as the page reaches it:
``$KG_STORE`` names the fixture's store directory (``$KG_DATABASE`` the
database), and the page shares the session's in-process server.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from pathlib import Path

import pytest

from conftest import kg_serve, make_record
from kg import explorer
from kg.api import Graph
from kg.stores import EmbeddedStore, open_store

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 180


# --- fixtures -------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def _close_app_stores():
    """The page caches its store per process; close it (and forget it) after this module."""
    yield
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    explorer.close_all()


@pytest.fixture
def on_sample(sample_store, store_home, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(store_home))
    monkeypatch.delenv("KG_DATABASE", raising=False)
    return sample_store


def _records() -> list[dict]:
    """A small graph with every kind of row the views show."""
    first = make_record("2401.00001", title="FooNet: detection <b>made</b> simple", method="FooNet",
                        datasets=("COCO", "LVIS"), url="https://example.org/foonet", year=2024)
    first["entities"][1]["aliases"] = ["MS-COCO"]
    first["results"] = [
        {"method": "FooNet", "dataset": "COCO", "metric": "AP", "value": 50.6, "unit": "%", "kind": "score",
         "evidence": "FooNet reaches an AP of 50.6% on MS-COCO.", "confidence": 0.9},
        {"method": "FooNet", "dataset": "LVIS", "metric": "AP", "value": 40.0, "unit": "%", "kind": "score",
         "evidence": "It reaches 40.0% AP on LVIS.", "confidence": 0.8}]
    first["relations"] += [
        {"type": "BUILDS_ON", "source": "FooNet", "source_label": "Method", "target": "DETR",
         "target_label": "Method", "evidence": "FooNet builds on DETR.", "confidence": 0.7},
        {"type": "OUTPERFORMS", "source": "FooNet", "source_label": "Method", "target": "DETR",
         "target_label": "Method", "evidence": "FooNet outperforms DETR by 3 AP.", "confidence": 0.7}]
    second = make_record("2401.00002", title="BarNet", method="BarNet", datasets=("COCO",), year=2023,
                         url="javascript:alert(1)")
    second["results"] = [{"method": "BarNet", "dataset": "COCO", "metric": "AP", "value": 52.1, "unit": "%",
                          "kind": "score", "evidence": "BarNet gets 52.1 AP on COCO.", "confidence": 0.9}]
    second["relations"].append({"type": "INTRODUCES", "source": "2401.00002", "source_label": "Paper",
                                "target": "NewsCLIPpings", "target_label": "Dataset",
                                "evidence": "We release NewsCLIPpings, a benchmark.", "confidence": 0.9})
    second["entities"].append({"label": "Dataset", "name": "NewsCLIPpings", "text": "NewsCLIPpings",
                               "aliases": ["NC-2020"]})
    return [first, second]


@pytest.fixture
def on_records(server, store_home, monkeypatch, request):
    """A database of its own with the hand-made records."""
    name = f"app_{request.node.name[:20]}_{os.getpid()}".replace("[", "_").replace("]", "_")
    graph = EmbeddedStore(store_home, database=name)
    graph.load(_records())
    monkeypatch.setenv("KG_STORE", str(store_home))
    monkeypatch.setenv("KG_DATABASE", name)
    yield graph
    graph.close()


# --- helpers ------------------------------------------------------------------------------

def open_view(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def frame(at: AppTest, key: str) -> list[dict]:
    """The rows of the table with this key (a keyed dataframe, or one in a keyed container)."""
    try:
        node = at.get_by_key(key)
    except (KeyError, ValueError) as error:
        raise AssertionError(f"no table {key!r} on the page") from error
    if node is None:
        raise AssertionError(f"no table {key!r} on the page")
    if getattr(node, "type", None) != "dataframe":
        inside = node.get("dataframe")
        if not inside:
            raise AssertionError(f"{key!r} holds no table")
        node = inside[0]
    return node.value.to_dict("records")


def has_table(at: AppTest, key: str) -> bool:
    try:
        frame(at, key)
    except AssertionError:
        return False
    return True


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.header] + [e.value for e in at.subheader] + [e.value for e in at.markdown]
    parts += [e.value for e in at.caption] + [e.value for e in at.success] + [e.value for e in at.info]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))  # Markdown escapes undone


def html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.get("html"))


def qp(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def _value(v):
    return v[0] if isinstance(v, list) else v


# --- the sample corpus -----------------------------------------------------------------------

def test_overview_shows_counts_and_top_lists(on_sample):
    at = open_view()
    stats = on_sample.stats()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Papers"] == str(stats["nodes"]["Paper"]) == "119"
    assert metrics["Methods"] == str(stats["nodes"]["Method"])
    datasets = frame(at, "ov-datasets")
    assert datasets and datasets[0]["papers"] >= datasets[-1]["papers"]
    assert "COCO" in {row["dataset"] for row in datasets}
    assert frame(at, "ov-metrics")
    relations = {row["type"]: row["count"] for row in frame(at, "ov-relations")}
    assert relations["REPORTS_ON"] == stats["relations"]["REPORTS_ON"]
    assert len(frame(at, "ov-papers")) == 10
    assert "view" not in qp(at)  # the address is not rewritten: no history entry for Back to land on


@pytest.mark.parametrize("text", ["newsclippings", "NewsCLIPpings", "NEWSCLIP"])
def test_search_finds_a_dataset_in_any_case(on_sample, text):
    at = open_view(view="search", q=text)
    rows = frame(at, "search-results")
    assert ("Dataset", "NewsCLIPpings") in {(r["label"], r["name"]) for r in rows}
    at.button(key="search-open-0").click().run()
    assert_ok(at)
    assert _value(qp(at)["view"]) == "entity" and _value(qp(at)["name"]) == "NewsCLIPpings"
    assert "NewsCLIPpings · Dataset" in texts(at)


def test_typing_in_the_search_box_updates_results_and_url(on_sample):
    at = open_view(view="search")
    at.text_input(key="w-q").input("coco").run()
    assert_ok(at)
    assert "COCO" in {r["name"] for r in frame(at, "search-results")}
    assert _value(qp(at)["q"]) == "coco"


def test_type_ahead_find_box_opens_the_entity_page(on_sample):
    at = open_view()
    find = at.sidebar.selectbox(key="find")
    option = next(o for o in find.options if o.startswith("NewsCLIPpings · Dataset"))
    ident = next(i for i in explorer.entity_index(Graph(on_sample)).entities if i.name == "NewsCLIPpings").id
    assert option
    find.set_value(ident).run()
    assert_ok(at)
    assert _value(qp(at)["view"]) == "entity"
    assert "NewsCLIPpings · Dataset" in texts(at)
    relations = frame(at, "entity-relations")
    assert {"REPORTS_ON", "EVALUATES_ON"} <= {r["relation"].split()[-1] for r in relations}
    assert "LAMAR" in {r["other"] for r in relations}


def test_methods_on_dataset_with_evidence(on_sample):
    at = open_view(view="methods-on-dataset", dataset="newsclippings")
    rows = frame(at, "mod")
    assert [r["method"] for r in rows] == ["LAMAR"]
    assert rows[0]["dataset"] == "NewsCLIPpings"
    rendered = html(at)
    assert 'class="entities"' in rendered and "NewsCLIPpings" in rendered and "DATASET" in rendered
    assert _value(qp(at)["dataset"]) == "newsclippings"  # the address as asked: not rewritten (Back)
    assert at.selectbox(key="w-dataset").value == "NewsCLIPpings"  # the page shows the canonical name


def test_leaderboard_ranks_and_charts(on_sample):
    at = open_view(view="leaderboard", dataset="COCO")
    rows = frame(at, "leaderboard")
    assert rows[0]["method"] == "OV-DINO" and rows[0]["value"] == 58.4
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["method"] and r["method"] != "(unnamed)" for r in rows)
    assert rows[0]["variant"] == "COCO" and rows[0]["claims"] >= 1
    assert any(e.label.startswith("All 1 claim(s) behind OV-DINO") for e in at.expander)
    assert "higher is better" in texts(at)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert "58.4" in html(at) and "VALUE" in html(at)
    assert at.selectbox(key="w-metric").value == "AP" and "metric" not in qp(at)


def test_leaderboard_metric_choice(on_sample):
    pairs = on_sample.run_named("result-datasets")
    dataset, metrics = None, []
    for pair in pairs:
        same = [p["metric"] for p in pairs if p["dataset"] == pair["dataset"]]
        if len(same) > 1:
            dataset, metrics = pair["dataset"], same
            break
    if dataset is None:
        pytest.skip("no dataset with two metrics in the sample")
    at = open_view(view="leaderboard", dataset=dataset)
    second = [m for m in metrics if m != at.selectbox(key="w-metric").value][0]
    at.selectbox(key="w-metric").select(second).run()
    assert_ok(at)
    assert _value(qp(at)["metric"]) == second
    assert f"{dataset} · {second}" in texts(at)


def test_method_profile_lineage_and_related(on_sample):
    at = open_view(view="method", method="lamar")
    rows = frame(at, "profile")
    assert ("REPORTS_ON", "NewsCLIPpings") in {(r["relation"], r["target"]) for r in rows}
    at = open_view(view="lineage", method="LAMAR")
    assert "lineage relation" in texts(at)
    at = open_view(view="related", method="OV-DINO")
    assert "share benchmarks with OV-DINO" in texts(at)


def test_dataset_papers_and_paper_page(on_sample):
    at = open_view(view="dataset-papers")
    rows = frame(at, "dataset-papers")
    assert rows and all(r["paper"] for r in rows)
    paper = rows[0]["paper"]
    at = open_view(view="paper", paper=paper)
    assert rows[0]["title"] in texts(at)
    assert 'class="entities"' in html(at)  # the abstract, entities highlighted
    assert frame(at, "paper-rel")


def test_entity_page_buttons_walk_to_questions(on_sample):
    at = open_view(view="entity", label="Dataset", name="coco")
    assert "COCO · Dataset" in texts(at)
    at.button(key="ent-leaderboard").click().run()
    assert_ok(at)
    assert _value(qp(at)["view"]) == "leaderboard" and _value(qp(at)["dataset"]) == "COCO"
    assert frame(at, "leaderboard")[0]["method"] == "OV-DINO"


def test_every_view_renders(on_sample):
    for view in explorer.VIEWS:
        at = open_view(view=view)
        assert at.header[0].value == explorer.QUESTIONS[view][0]


def test_console_runs_read_queries_on_the_sample(on_sample):
    at = open_view(view="console")
    at.text_area(key="cypher").input("MATCH (d:Dataset) RETURN d.name AS name ORDER BY name LIMIT 5")
    submit = next(b for b in at.button if b.label == "Run")
    submit.click().run()
    assert_ok(at)
    rows = frame(at, "console-result")
    assert len(rows) == 5 and set(rows[0]) == {"name"}


# --- hand-made records: provenance, escaping, console refusals, adding papers ---------------

def test_alias_finds_the_node_and_evidence_highlights_it(on_records):
    at = open_view(view="leaderboard", dataset="ms-coco")  # an alias
    assert at.selectbox(key="w-dataset").value == "COCO"
    rows = frame(at, "leaderboard")
    assert [(r["method"], r["value"]) for r in rows] == [("BarNet", 52.1), ("FooNet", 50.6)]
    at.selectbox(key="leaderboard-evidence").select(1).run()
    rendered = html(at)
    assert ">\n    MS-COCO\n" in rendered or "MS-COCO" in rendered
    assert "FooNet" in rendered and "50.6" in rendered
    at = open_view(view="search", q="nc-2020")
    assert [r["name"] for r in frame(at, "search-results")] == ["NewsCLIPpings"]


def test_user_text_is_escaped_and_links_are_http_only(on_records):
    at = open_view(view="methods-on-dataset", dataset="COCO")
    at.selectbox(key="mod-evidence").select(1).run()
    markdown = "\n".join(m.value for m in at.markdown)
    assert "<b>" not in markdown and "\\<b\\>" in markdown  # title shown literally
    assert "(https://example.org/foonet)" in markdown
    at.selectbox(key="mod-evidence").select(0).run()
    markdown = "\n".join(m.value for m in at.markdown)
    assert "javascript:" not in markdown  # BarNet's bad link is never rendered
    assert "<b>" not in html(at)


def test_lineage_shows_lineage_only_and_comparisons_apart(on_records):
    at = open_view(view="lineage", method="foonet")
    assert [(r["relation"], r["other"]) for r in frame(at, "lineage")] == [("BUILDS_ON", "DETR")]
    pairs = [(r["relation"], r["other"]) for r in frame(at, "comparisons")]
    assert ("OUTPERFORMS", "DETR") in pairs
    at.selectbox(key="comparisons-evidence").select(pairs.index(("OUTPERFORMS", "DETR"))).run()
    rendered = html(at)
    assert "outperforms" in rendered and rendered.count("<mark") >= 2  # FooNet and DETR (and AP)


WRITES = [
    "CREATE (n:Method {key: 'evil', name: 'Evil'}) RETURN n",
    "MERGE (n:Dataset {key: 'evil'}) RETURN n",
    "MATCH (n:Method) DETACH DELETE n",
    "MATCH (n:Method) SET n.name = 'hacked' RETURN n",
    "MATCH (n:Method) REMOVE n.aliases RETURN n",
    "DROP CONSTRAINT method_key IF EXISTS",
    "CREATE INDEX evil_idx IF NOT EXISTS FOR (n:Method) ON (n.aliases)",
    "CREATE CONSTRAINT evil IF NOT EXISTS FOR (n:Task) REQUIRE n.name IS UNIQUE",
    "MATCH (n:Method) CALL { WITH n SET n.name = 'x' } IN TRANSACTIONS RETURN count(*) AS c",
    "UNWIND range(1, 3) AS i CALL { WITH i CREATE (:Method {key: 'evil' + toString(i)}) } "
    "IN TRANSACTIONS OF 1 ROWS",
]


def _snapshot(store) -> tuple:
    names = sorted(r["name"] for r in store.read("MATCH (n) RETURN coalesce(n.name, n.key) AS name"))
    constraints = sorted(r["name"] for r in store.read("SHOW CONSTRAINTS"))
    return store.stats(), names, constraints


def test_console_refuses_every_write_and_the_graph_is_unchanged(on_records):
    before = _snapshot(on_records)
    at = open_view(view="console")
    for statement in WRITES:
        at.text_area(key="cypher").input(statement)
        next(b for b in at.button if b.label == "Run").click().run()
        assert_ok(at)
        errors = [e.value for e in at.error]
        assert errors and errors[0].startswith("Refused"), (statement, errors)
        assert not has_table(at, "console-result")
        assert _snapshot(on_records) == before, statement


def test_console_draws_paths_as_a_graph(on_records):
    at = open_view(view="console", cypher="MATCH p = (m:Method)-[:REPORTS_ON]->(d:Dataset) RETURN p")
    next(b for b in at.button if b.label == "Run").click().run()
    assert_ok(at)
    rows = frame(at, "console-result")
    assert "(FooNet)-[:REPORTS_ON]-(COCO)" in {r["p"] for r in rows}
    assert "nodes" in texts(at) and "click a node" in texts(at)


def test_console_reports_bad_cypher_and_bad_parameters(on_records):
    at = open_view(view="console")
    at.text_area(key="cypher").input("MATCH (n RETURN n")
    next(b for b in at.button if b.label == "Run").click().run()
    assert_ok(at)
    assert at.error and at.error[0].value.startswith("Query failed")
    at.text_area(key="cypher").input("MATCH (d:Dataset) WHERE d.name = $name RETURN d.name AS name")
    at.text_input(key="console-params").input("[1, 2]")
    next(b for b in at.button if b.label == "Run").click().run()
    assert at.error and at.error[0].value.startswith("Parameters")
    at.text_input(key="console-params").input('{"name": "LVIS"}')
    next(b for b in at.button if b.label == "Run").click().run()
    assert frame(at, "console-result") == [{"name": "LVIS"}]


PASTED_TITLE = "ZetaNet: Sparse Transformers for Open-Vocabulary Detection"
PASTED_ABSTRACT = ("We propose ZetaNet, a sparse transformer for open-vocabulary object detection. "
                   "ZetaNet achieves 61.2 AP on COCO and 45.3 AP on LVIS, outperforming DETR. "
                   "Code is available at https://github.com/example/zetanet.")


def test_paste_an_abstract_adds_it_to_the_graph(on_records):
    if explorer.extractor_available():
        pytest.skip(explorer.extractor_available())
    before = on_records.stats()["nodes"]["Paper"]
    at = open_view(view="add")
    at.text_input(key="paste-title").input(PASTED_TITLE)
    at.text_area(key="paste-abstract").input(PASTED_ABSTRACT)
    next(b for b in at.button if b.label == "Extract and add" and b.form_id).click().run()
    assert_ok(at)
    assert any("Added 1 paper" in s.value for s in at.success), [s.value for s in at.success]
    assert on_records.stats()["nodes"]["Paper"] == before + 1
    added = frame(at, "added-papers")
    assert added[0]["title"] == PASTED_TITLE
    entities = {(r["label"], r["name"]) for r in frame(at, "added-entities")}
    assert ("Method", "ZetaNet") in entities and ("Dataset", "COCO") in entities
    assert frame(at, "added-relations")
    # the new paper is now part of the answers
    at = open_view(view="methods-on-dataset", dataset="LVIS")
    assert "ZetaNet" in {r["method"] for r in frame(at, "mod")}


def test_upload_a_file_adds_its_papers(on_records, tmp_path):
    if explorer.extractor_available():
        pytest.skip(explorer.extractor_available())
    lines = [json.dumps({"id": "2402.00007", "title": "OmegaNet for Speech",
                         "abstract": "We introduce OmegaNet. OmegaNet reaches 3.1 WER on LibriSpeech."}),
             json.dumps({"title": "", "abstract": "no title: this record is reported and skipped"})]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    at = open_view(view="add")
    at.file_uploader(key="upload").set_value(("papers.jsonl.gz", data, "application/gzip")).run()
    assert_ok(at)
    at.button(key="add-upload").click().run()
    assert_ok(at)
    assert any("Added 1 paper" in s.value for s in at.success), [s.value for s in at.success]
    assert any("papers.jsonl.gz" in w.value for w in at.warning)  # the bad record, by file name
    assert on_records.run_named("paper-info", {"paper": "2402.00007"})[0]["title"] == "OmegaNet for Speech"
    assert ("Method", "OmegaNet") in {(r["label"], r["name"]) for r in frame(at, "added-entities")}


def test_upload_refuses_oversized_and_unknown_files():
    assert "up to 20 MB" in explorer.upload_problem("big.jsonl", explorer.MAX_UPLOAD_BYTES + 1)
    assert "not a file type" in explorer.upload_problem("evil.exe", 10)
    assert explorer.upload_problem("papers.csv.gz", 10) is None
    papers, problems = explorer.papers_from_upload("big.txt", b"x" * (explorer.MAX_UPLOAD_BYTES + 1))
    assert not papers and problems


def test_export_downloads(on_records):
    if explorer.export_available():
        pytest.skip(explorer.export_available())
    at = open_view(view="export")
    at.selectbox(key="export-format").select("json").run()
    at.button(key="export-prepare").click().run()
    assert_ok(at)
    download = at.get("download_button")
    assert download, "no download button"
    data, mime, name = explorer.export_bytes(Graph(on_records), "json")
    graph = json.loads(data)
    assert {n["id"] for n in graph["nodes"]} >= {"Method:foonet", "Dataset:coco"}
    # around one entity
    at = open_view(view="entity", label="Method", name="FooNet")
    at.button(key="entity-export-prepare").click().run()
    assert_ok(at)
    assert at.get("download_button")


# --- a bolt:// store: the same page over a separately served database ------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``kg serve`` in its own process: the page reaches it as a plain ``bolt://`` URI."""
    with kg_serve(tmp_path_factory.mktemp("served-app")) as server:
        yield server


def test_the_page_works_on_a_bolt_uri(served, monkeypatch):
    uri, secret = served
    monkeypatch.setenv("KG_STORE", uri)
    monkeypatch.delenv("KG_DATABASE", raising=False)
    monkeypatch.setenv("NEO4J_USER", secret["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", secret["password"])
    monkeypatch.setenv("KG_READER_USER", secret["reader_user"])
    monkeypatch.setenv("KG_READER_PASSWORD", secret["reader_password"])
    remote = open_store(uri)
    try:
        remote.load(_records())
        before = _snapshot(remote)
        at = open_view(view="leaderboard", dataset="coco")
        sidebar = "\n".join([c.value for c in at.sidebar.caption] + [c.value for c in at.sidebar.code])
        assert "Bolt server" in sidebar and uri in sidebar
        assert [r["method"] for r in frame(at, "leaderboard")] == ["BarNet", "FooNet"]
        at = open_view(view="console")
        at.text_area(key="cypher").input("MATCH (n) DETACH DELETE n")
        next(b for b in at.button if b.label == "Run").click().run()
        assert at.error and at.error[0].value.startswith("Refused")
        assert _snapshot(remote) == before
    finally:
        remote.close()


# --- helpers without a page ------------------------------------------------------------------

def test_displacy_output_escapes_the_sentence():
    sentence = '<script>alert("x")</script> FooNet beats <b>COCO</b> & co'
    rendered = explorer.evidence_html(sentence, [explorer.Mention("Method", ["FooNet"]),
                                                 explorer.Mention("Dataset", ["COCO"])])
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered and "<b>" not in rendered
    assert rendered.count("<mark") == 2


def test_spans_are_whole_words_any_case_and_never_overlap():
    spans = explorer.find_spans("BERT-large beats bert and RoBERTa on GLUE.",
                                [explorer.Mention("Method", ["BERT", "BERT-large"]),
                                 explorer.Mention("Dataset", ["GLUE"])])
    found = [("BERT-large beats bert and RoBERTa on GLUE."[s["start"]:s["end"]], s["label"]) for s in spans]
    assert found == [("BERT-large", "METHOD"), ("bert", "METHOD"), ("GLUE", "DATASET")]


def test_links_and_markdown_are_safe():
    assert explorer.safe_url("javascript:alert(1)") is None
    assert explorer.safe_url("https://arxiv.org/abs/2401.00001") == "https://arxiv.org/abs/2401.00001"
    assert explorer.safe_url("https://x.org/a b") is None
    assert explorer.paper_url("2401.00001") == "https://arxiv.org/abs/2401.00001"
    assert explorer.paper_url("t-abc") is None
    assert explorer.md_escape("[x](http://e)") == r"\[x\]\(http\://e\)"
    assert explorer.md_escape("![i](y) <b> $x$ :red[z] *a*") == r"\!\[i\]\(y\) \<b\> \$x\$ \:red\[z\] \*a\*"
    assert explorer.component_text("<img src=x onerror=alert(1)>") == "‹img src=x onerror=alert(1)›"


def test_graph_nodes_lead_to_pages():
    rows = [{"label": "Dataset", "key": "coco", "name": "COCO", "direction": "in", "relation": "REPORTS_ON",
             "other_label": "Method", "other_key": "foonet", "other": "FooNet", "paper": "p1"},
            {"label": "Dataset", "key": "coco", "name": "COCO", "direction": "in", "relation": "ON",
             "other_label": "Result", "other_key": "r-1", "other": "50 AP", "paper": "p1"}]
    view = explorer.neighbourhood_graph(rows)
    assert view.node_count == 3 and view.edge_count == 2
    ids = {n["data"]["name"]: n["data"]["id"] for n in view.elements["nodes"]}
    click = {"action": "select", "data": {"target_id": ids["FooNet"]}, "timestamp": 1}
    assert explorer.clicked(click, view) == {"view": "entity", "label": "Method", "name": "FooNet"}
    click["data"]["target_id"] = ids["50 AP"]
    assert explorer.clicked(click, view) == {"view": "paper", "paper": "p1"}
    assert explorer.clicked({"action": "remove"}, view) is None
    assert view.legend() == [("Method", explorer.NODE_COLORS["Method"], 1),
                             ("Dataset", explorer.NODE_COLORS["Dataset"], 1),
                             ("Result", explorer.NODE_COLORS["Result"], 1)]
    # expanding: entities and papers have neighbourhoods, results do not
    expand = {"action": "expand", "data": {"node_ids": [ids["FooNet"], ids["50 AP"], "n99"]}}
    assert explorer.expanded_nodes(expand, view) == [("Method", "foonet")]
    more = [{"label": "Method", "key": "foonet", "name": "FooNet", "direction": "out", "relation": "REPORTS_ON",
             "other_label": "Dataset", "other_key": "coco", "other": "COCO", "paper": "p1"},  # seen from COCO
            {"label": "Method", "key": "foonet", "name": "FooNet", "direction": "out", "relation": "BUILDS_ON",
             "other_label": "Method", "other_key": "detr", "other": "DETR", "paper": "p1"}]
    grown = explorer.neighbourhood_graph(rows, more)
    assert grown.node_count == 4 and grown.edge_count == 3  # the shared relationship counted once
    assert all(grown.members[i] == view.members[i] for i in view.members)  # ids kept: the drawing stays
    assert next(e for e in grown.elements["edges"] if e["data"]["label"] == "REPORTS_ON")["data"]["papers"] == 1


def test_a_click_on_a_name_cell_leads_to_its_page():
    index = explorer.EntityIndex([explorer.Entity("Method", "ov-dino", "OV-DINO", ("OVDINO",), 3),
                                  explorer.Entity("Dataset", "coco", "COCO", ("MS-COCO",), 9)])
    row = {"rank": 1, "method": "ovdino", "value": 58.4, "variant": "MS-COCO", "paper": "p1", "title": "T"}
    assert explorer.cell_destination(row, "method", index) == {"view": "entity", "label": "Method", "name": "OV-DINO"}
    assert explorer.cell_destination(row, "variant", index) == {"view": "entity", "label": "Dataset", "name": "COCO"}
    assert explorer.cell_destination(row, "title", index) == {"view": "paper", "paper": "p1"}
    assert explorer.cell_destination(row, "value", index) is None  # a value: its evidence, not a page
    assert explorer.cell_destination({"method": "Unknown"}, "method", index) is None
    assert explorer.cell_destination({"other": "COCO", "other_label": "Dataset"}, "other", index)["name"] == "COCO"
    assert explorer.cell_destination({"other": "T", "other_label": "Paper", "other_key": "p2"}, "other", index) \
        == {"view": "paper", "paper": "p2"}
    assert explorer.cell_destination({"other": "ov-dino"}, "other", index)["label"] == "Method"  # no label: any
    assert explorer.link_columns(["rank", "method", "value", "paper"]) == ["method", "paper"]


def test_sota_over_time_keeps_records_per_variant_and_setting():
    rows = [{"metric": "AP", "direction": "higher", "method": m, "value": v, "variant": "COCO", "setting": s,
             "year": y, "paper": p, "claims": []}
            for m, v, s, y, p in [("A", 40.0, None, 2020, "a"), ("B", 45.0, None, 2021, "b"),
                                  ("C", 43.0, None, 2022, "c"), ("D", 30.0, "zero-shot", 2022, "d"),
                                  ("E", 50.0, None, None, "e")]]
    points, direction = explorer.sota_over_time(rows, "AP")
    assert direction == "higher"
    records = [(p["method"], p["record"]) for p in points]
    assert records == [("A", True), ("B", True), ("C", False), ("D", True)]  # E has no year: no point
    assert {p["series"] for p in points} == {"COCO", "COCO · zero-shot"}
    lower = [{**r, "metric": "WER", "direction": "lower"} for r in rows]
    assert [p["record"] for p in explorer.sota_over_time(lower, "WER")[0]] == [True, False, False, True]


def test_a_dataset_page_shows_metrics_sota_tasks_and_introductions(on_records):
    at = open_view(view="entity", label="Dataset", name="COCO")
    metrics = frame(at, "dataset-metrics")
    assert metrics[0]["metric"] == "AP" and metrics[0]["method"] == "BarNet" and metrics[0]["entries"] == 2
    assert at.get_by_key("sota-chart") is not None  # both papers carry a year
    assert "2 dated claim(s); 1 set a record" in texts(at)
    at = open_view(view="entity", label="Dataset", name="NewsCLIPpings")
    assert frame(at, "dataset-introduced")[0]["paper"] == "2401.00002"


def test_a_method_page_shows_scores_lineage_comparisons(on_records):
    at = open_view(view="entity", label="Method", name="FooNet")
    scores = frame(at, "method-scores")
    assert {(r["dataset"], r["metric"], r["value"]) for r in scores} == {("COCO", "AP", 50.6), ("LVIS", "AP", 40.0)}
    assert [(r["relation"], r["other"]) for r in frame(at, "method-lineage")] == [("BUILDS_ON", "DETR")]
    assert ("OUTPERFORMS", "DETR") in {(r["relation"], r["other"]) for r in frame(at, "method-compared")}
    assert "Scores (2)" in texts(at)


def test_a_family_page_links_its_variants(on_sample):
    at = open_view(view="entity", label="Method", name="LLaMA")
    labels = {b.label for b in at.button if (b.key or "").startswith("fam-variant-")}
    assert "Llama 2 (version 2)" in labels
    next(b for b in at.button if b.label == "Llama 2 (version 2)").click().run()
    assert_ok(at)
    assert _value(qp(at)["name"]) == "Llama 2"
    assert any(b.label.startswith("LLaMA") for b in at.button if (b.key or "").startswith("fam-family-"))


def test_sidebar_search_forgives_spelling_and_opens_the_search_view(on_sample):
    at = open_view()
    at.sidebar.text_input(key="sidebar-search").input("newsclipping").run()  # singular, lower case
    assert_ok(at)
    assert _value(qp(at)["view"]) == "search" and _value(qp(at)["q"]) == "newsclipping"
    assert ("Dataset", "NewsCLIPpings") in {(r["label"], r["name"]) for r in frame(at, "search-results")}
    assert at.sidebar.text_input(key="sidebar-search").value == ""


def test_a_task_page_reaches_a_leaderboard_in_one_click(on_sample):
    at = open_view(view="entity", label="Task", name="Object Detection")
    rows = frame(at, "task-datasets")
    assert rows[0]["dataset"] == "COCO" and rows[0]["leaderboard values"] >= 1 and "AP" in rows[0]["metrics"]
    at.button(key="task-board-0").click().run()
    assert_ok(at)
    assert _value(qp(at)["view"]) == "leaderboard" and _value(qp(at)["dataset"]) == "COCO"
    assert {"OV-DINO"} <= {r["method"] for r in frame(at, "leaderboard")}  # not an empty board


def test_overview_offers_a_leaderboard_only_where_there_is_one(on_sample):
    at = open_view()
    keys = {b.key for b in at.button}
    assert "ov-l-COCO" in keys and "ov-l-CIFAR-100" not in keys and "ov-p-CIFAR-100" in keys
    at.button(key="ov-l-COCO").click().run()
    assert_ok(at)
    assert "(unnamed)" not in texts(at)


def test_a_leaderboard_rows_names_open_their_pages(on_sample):
    at = open_view(view="leaderboard", dataset="COCO", metric="AP")
    keys = [b.key for b in at.button if b.key and b.key.startswith("leaderboard-open-entity-")]
    labels = {b.label for b in at.button if b.key in keys}
    assert "Open OV-DINO · Method" in labels and "Open COCO · Dataset" in labels and "Open AP · Metric" in labels
    button = next(b for b in at.button if b.label == "Open OV-DINO · Method")
    button.click().run()
    assert_ok(at)
    assert _value(qp(at)["view"]) == "entity" and _value(qp(at)["name"]) == "OV-DINO"
    assert "OV-DINO · Method" in texts(at)


def test_comparison_table_rows_methods_columns_benchmarks_and_its_csv(on_sample):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["view"] = "compare"
    at.query_params["method"] = ["ov-dino", "MaskLLM"]  # any case, repeated parameter
    at.run()
    assert_ok(at)
    rows = frame(at, "compare-table")
    assert [r["method"] for r in rows] == ["OV-DINO", "MaskLLM"]
    assert rows[0]["COCO · AP (fine-tuned)"] == "58.4%" and rows[1]["Wikitext · Perplexity"] == "6.72"
    assert rows[1]["COCO · AP (fine-tuned)"] == ""
    shown = explorer.comparison(["OV-DINO", "MaskLLM"], explorer.method_results(Graph(on_sample), ("OV-DINO", "MaskLLM")))[0]
    import csv as _csv
    parsed = list(_csv.DictReader(io.StringIO(explorer.csv_for_people(shown))))
    assert parsed == [{k: str(v) for k, v in row.items()} for row in rows]  # the CSV is what is shown
    assert "learning the masks with frozen weights" in html(at)  # the first cell's evidence (MaskLLM · Wikitext), highlighted
    at.multiselect(key="w-compare").unselect("MaskLLM").run()
    assert_ok(at)
    assert at.query_params["method"] in ("OV-DINO", ["OV-DINO"])


def test_csv_for_people_escapes_formulas_but_not_numbers():
    text = explorer.csv_for_people([{"name": "=HYPERLINK(\"x\")", "cmd": "+cmd|' /C calc'!A0", "at": "@SUM(1)",
                                     "value": "-1.5", "plain": "BERT"}])
    import csv as _csv
    row = next(_csv.DictReader(io.StringIO(text)))
    assert row == {"name": "'=HYPERLINK(\"x\")", "cmd": "'+cmd|' /C calc'!A0", "at": "'@SUM(1)", "value": "-1.5",
                   "plain": "BERT"}


def test_comparison_of_papers_rows_papers_with_their_titles(on_sample):
    papers = [r["paper"] for r in explorer.result_papers(Graph(on_sample))]
    ov_dino = next(r["paper"] for r in explorer.result_papers(Graph(on_sample)) if r["title"] == "OV-DINO")
    scored = {r["paper"] for r in explorer.paper_results(Graph(on_sample), tuple(papers))}
    other = next(p for p in papers if p != ov_dino and p in scored)  # one with a leaderboard value too
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["view"] = "compare"
    at.query_params["of"] = "paper"
    at.query_params["paper"] = [ov_dino, other]
    at.run()
    assert_ok(at)
    rows = frame(at, "compare-table")
    assert [r["paper"] for r in rows] == [ov_dino, other] and rows[0]["title"] == "OV-DINO"
    assert rows[0]["COCO · AP (fine-tuned)"] == "58.4%"
    # the paper page offers it, and switching back to methods starts afresh
    at = open_view(view="paper", paper=ov_dino)
    at.button(key="paper-compare").click().run()
    assert_ok(at)
    assert _value(qp(at)["of"]) == "paper" and _value(qp(at)["paper"]) == ov_dino
    at.radio(key="w-compare-of").set_value("method").run()
    assert_ok(at)
    assert "paper" not in qp(at) and _value(qp(at)["of"]) == "method"



def test_comparison_says_in_words_which_picks_have_no_leaderboard_value(on_sample):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["view"] = "compare"
    at.query_params["method"] = ["OV-DINO", "GrowCLIP"]  # GrowCLIP reports improvements, no score
    at.run()
    assert_ok(at)
    assert [r["method"] for r in frame(at, "compare-table")] == ["OV-DINO"]
    assert any("No leaderboard value in the graph for GrowCLIP" in c.value for c in at.caption)
    at = open_view(view="compare", of="paper")
    assert at.header[0].value.startswith("How do these papers compare")
