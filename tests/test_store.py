"""The store against a real ArcadeDB over Bolt: loading, updates, reads, the console."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import make_record
from kg.stores import EmbeddedStore, ReadOnlyViolation, StoreError, open_store


def counts(store):
    return store.stats()


def test_loading_twice_changes_nothing(store):
    records = [make_record("p1", method="FooNet", datasets=("COCO", "LVIS")),
               make_record("p2", method="BarNet", datasets=("COCO",))]
    first = store.load(records)
    before = counts(store)
    second = store.load(records)
    assert first.papers == 2 and second.papers == 0 and second.unchanged == 2
    assert counts(store) == before
    assert before["nodes"] == {"Dataset": 2, "Method": 2, "Paper": 2}
    assert before["relations"]["REPORTS_ON"] == 3


def test_constraints_come_from_schema_file(store):
    store.ensure_schema()
    names = {row["name"] for row in store.read("SHOW CONSTRAINTS")}
    assert {"paper_key", "method_key", "dataset_key", "result_key"} <= names


def test_entities_merge_on_key_and_keep_aliases(store):
    store.load([make_record("p1", method="Llama-2", datasets=("MS-COCO",)),
                make_record("p2", method="LLaMA 2", datasets=("ms coco",))])
    rows = store.read("MATCH (m:Method) WHERE NOT (m)<-[:VARIANT_OF]-() RETURN m.name AS name, m.aliases AS aliases")
    assert len(rows) == 1
    assert rows[0]["name"] == "Llama-2" and set(rows[0]["aliases"]) == {"Llama-2", "LLaMA 2"}
    # its family, read from the name, once for both spellings; named by kg.resolve.name_rank
    # (a method's short capitalised form first), whichever paper came first
    assert store.read("MATCH (:Method {key: 'llama2'})-[r:VARIANT_OF]->(f:Method) "
                      "RETURN DISTINCT f.name AS family") == [{"family": "LLaMA"}]


def test_changed_paper_replaces_its_edges_and_keeps_shared_entities(store):
    store.load([make_record("p1", method="FooNet", datasets=("COCO", "LVIS")),
                make_record("p2", method="BarNet", datasets=("COCO",))])
    changed = make_record("p1", method="FooNet", datasets=("ImageNet",), abstract="New text.")
    report = store.load([changed])
    assert report.updated == 1
    datasets = {r["name"] for r in store.read("MATCH (d:Dataset) RETURN d.name AS name")}
    assert datasets == {"COCO", "ImageNet"}  # LVIS was only p1's; COCO is shared with p2
    rows = store.run_named("methods-on-dataset", {"dataset": "coco"})
    assert [r["method"] for r in rows] == ["BarNet"]


def test_remove_paper(store):
    store.load([make_record("p1", method="FooNet", datasets=("COCO",)),
                make_record("p2", method="BarNet", datasets=("COCO",))])
    assert store.remove_papers(["p1", "nope"]) == 1
    stats = counts(store)
    assert stats["nodes"] == {"Dataset": 1, "Method": 1, "Paper": 1}


def _result(method, dataset, value, evidence="FooNet reaches 50.6 AP."):
    return {"method": method, "dataset": dataset, "metric": "AP", "value": value, "unit": "%",
            "kind": "score", "evidence": evidence}


def test_relation_counts_equal_the_relationships_through_updates_and_removals(store):
    """relation-counts takes HAS_RESULT from the number of Result nodes (one per
    Result by the loader's keys); it must agree with a plain count of every
    relationship, also when a paper states one result twice, changes or goes."""
    def true_counts():
        return {row["type"]: row["count"] for row in
                store.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count")}

    twice = _result("FooNet", "COCO", 50.6)
    store.load([make_record("p1", method="FooNet", datasets=("COCO", "LVIS"),
                            results=[twice, dict(twice), _result("FooNet", "LVIS", 40.0)]),
                make_record("p2", method="BarNet", datasets=("COCO",), results=[_result("BarNet", "COCO", 52.1)])])
    assert store.stats()["relations"] == true_counts() and true_counts()["HAS_RESULT"] == 3
    store.load([make_record("p1", method="FooNet", datasets=("COCO",), abstract="New text.",
                            results=[_result("FooNet", "COCO", 51.0)])])
    assert store.stats()["relations"] == true_counts() and true_counts()["HAS_RESULT"] == 2
    store.remove_papers(["p2"])
    assert store.stats()["relations"] == true_counts() and true_counts()["HAS_RESULT"] == 1


def stored_and_true_paper_counts(store) -> tuple[dict, dict]:
    """Each entity's stored paper count, and the count its relationships give."""
    stored, true = {}, {}
    for label in ("Method", "Dataset"):
        for row in store.read(f"MATCH (n:{label}) OPTIONAL MATCH (n)-[r]-() "
                              "RETURN n.key AS key, n.papers AS stored, count(DISTINCT r.paper) AS true"):
            stored[(label, row["key"])], true[(label, row["key"])] = row["stored"] or 0, row["true"]
    return stored, true


def test_stored_paper_counts_follow_loads_updates_and_removals(store):
    store.load([make_record("p1", method="FooNet", datasets=("COCO", "LVIS")),
                make_record("p2", method="BarNet", datasets=("COCO",))])
    store.load([make_record("p3", method="FooNet", datasets=("COCO",))])  # a second batch adds
    stored, true = stored_and_true_paper_counts(store)
    assert stored == true and stored[("Dataset", "coco")] == 3 and stored[("Method", "foonet")] == 2
    store.load([make_record("p1", method="BazNet", datasets=("COCO",), abstract="New text.")])
    store.load([make_record("p3", method="FooNet", datasets=("COCO",))])  # unchanged: skipped
    stored, true = stored_and_true_paper_counts(store)
    assert stored == true and stored[("Method", "foonet")] == 1 and stored[("Dataset", "coco")] == 3
    store.remove_papers(["p2"])
    stored, true = stored_and_true_paper_counts(store)
    assert stored == true and stored[("Dataset", "coco")] == 2 and ("Method", "barnet") not in stored
    index = {(row["label"], row["key"]): row["papers"] for row in store.run_named("entity-index")}
    assert index == stored


def test_relationships_carry_their_papers_year(store):
    store.load([make_record("p1", year=2021), make_record("p2", datasets=("LVIS",))])
    years = {(row["paper"], row["year"]) for row in store.read("MATCH ()-[r]->() RETURN r.paper AS paper, r.year AS year")}
    assert years == {("p1", 2021), ("p2", None)}


def test_entity_lists_the_newest_papers_first_within_its_limit(store):
    store.load([make_record(f"p{year}", method=f"Net{year}", year=year) for year in (2019, 2023, 2021, 2020)]
               + [make_record("undated", method="NetX")])
    rows = store.run_named("entity", {"label": "Dataset", "name": "coco", "limit": 2})
    assert [(r["paper"], r["year"]) for r in rows] == [("p2023", 2023), ("p2021", 2021)]
    assert {r["papers"] for r in rows} == {5}
    everything = store.run_named("entity", {"label": "Dataset", "name": "coco"})
    assert [r["paper"] for r in everything] == ["p2023", "p2021", "p2020", "p2019", "undated"]
    assert set(everything[0]["relations"]) == {"EVALUATES_ON", "REPORTS_ON"}


def test_newest_papers_by_year_topped_up_with_undated_ones(store):
    from kg.queries import named_query

    store.load([make_record("old", year=2001), make_record("new", year=2024), make_record("none"),
                make_record("mid", year=2012)])
    newest = store.run_named("newest-papers", {"limit": 2})
    assert [(r["paper"], r["year"]) for r in newest] == [("new", 2024), ("mid", 2012)]
    assert [r["paper"] for r in store.run_named("newest-papers")] == ["new", "mid", "old"]
    assert sorted(r["paper"] for r in store.run_named("papers")) == ["mid", "new", "none", "old"]
    assert len(store.run_named("papers", {"limit": 2})) == 2
    with store._driver.session(database=store.database) as session:
        plan = str(session.run("EXPLAIN " + named_query("newest-papers").text, limit=2).consume().plan)
    assert "NodeIndexRangeScan" in plan and "paper_year" in plan  # read in index order, not sorted
    from kg.api import Graph
    from kg.explorer import newest_papers

    graph = Graph(store)
    assert [r["paper"] for r in newest_papers(graph, limit=3)] == ["new", "mid", "old"]
    assert [r["paper"] for r in newest_papers(graph, limit=10)] == ["new", "mid", "old", "none"]


def test_methods_on_dataset_matches_name_and_alias_case_insensitively(store):
    record = make_record("p1", method="LAMAR", datasets=("NewsCLIPpings",))
    record["entities"].append({"label": "Dataset", "name": "NewsCLIPpings", "text": "News CLIPpings",
                               "aliases": ["NC"], "field": "abstract", "start": 0, "end": 3})
    store.load([record])
    for asked in ("newsclippings", "NEWSCLIPPINGS", "News CLIPpings", "nc"):
        rows = store.run_named("methods-on-dataset", {"dataset": asked})
        assert [(r["method"], r["paper"]) for r in rows] == [("LAMAR", "p1")], asked
        assert rows[0]["evidence"].startswith("LAMAR reaches")


@pytest.mark.parametrize("hostile", ["x'}) DETACH DELETE n //", "\" OR 1=1 //", "COCO'); MATCH (n) DETACH DELETE n;"])
def test_parameters_are_never_spliced_into_cypher(store, hostile):
    store.load([make_record("p1", datasets=("COCO",))])
    before = counts(store)
    assert store.run_named("methods-on-dataset", {"dataset": hostile}) == []
    assert counts(store) == before


def test_label_slot_takes_schema_labels_only(store):
    """``{label}`` in a named query becomes part of the text: schema labels only."""
    from kg.queries import fill_label, named_query

    store.load([make_record("p1", method="FooNet", datasets=("COCO",))])
    before = counts(store)
    rows = store.run_named("entity", {"label": "Dataset", "name": "coco"})
    assert rows and {r["label"] for r in rows} == {"Dataset"} and rows[0]["paper"] == "p1"
    assert store.run_named("entity", {"label": "Method", "name": "coco"}) == []
    assert store.run_named("export-find", {"label": "Dataset", "name": "COCO"})[0]["id"] == "Dataset:coco"
    hostile = ["Dataset) DETACH DELETE n //", "Dataset {key: 'coco'}) DETACH DELETE n WITH n MATCH (n",
               "dataset", "Nope", "", None, ["Dataset"], "Dataset`"]
    for label in hostile:
        with pytest.raises(StoreError, match="node label of the schema"):
            store.run_named("entity", {"label": label, "name": "coco"})
        with pytest.raises(ValueError):
            fill_label(named_query("neighbourhood"), label)
    assert counts(store) == before
    assert "{label}" not in fill_label(named_query("export-find"), "Paper")
    assert fill_label(named_query("search"), "not even checked") == named_query("search").text


def test_missing_parameter_is_a_clear_error(store):
    with pytest.raises(StoreError, match="needs parameter"):
        store.run_named("methods-on-dataset", {})


@pytest.mark.parametrize("query", [
    "CREATE (n:Method {key: 'evil'}) RETURN n",
    "MERGE (n:Dataset {key: 'evil'}) RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (m:Method) SET m.name = 'evil' RETURN m",
    "MATCH (m:Method) REMOVE m.aliases RETURN m",
    "DROP CONSTRAINT method_key",
    "CREATE INDEX evil IF NOT EXISTS FOR (n:Method) ON (n.aliases)",
    "CREATE CONSTRAINT evil IF NOT EXISTS FOR (n:Task) REQUIRE n.name IS UNIQUE",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
])
def test_console_refuses_writes_and_leaves_graph_unchanged(store, query):
    store.load([make_record("p1", datasets=("COCO",))])
    before = counts(store)
    constraints = {r["name"] for r in store.read("SHOW CONSTRAINTS")}
    with pytest.raises(StoreError):
        store.console(query)
    assert counts(store) == before
    assert {r["name"] for r in store.read("SHOW CONSTRAINTS")} == constraints
    assert store.read("MATCH (m:Method) RETURN m.name AS name") == [{"name": "FooNet"}]


def test_console_reads_with_row_cap(store):
    store.load([make_record(f"p{i}", method=f"Net{i}", datasets=("COCO",)) for i in range(5)])
    columns, rows = store.console("MATCH (m:Method) RETURN m.name AS name ORDER BY name", row_limit=3)
    assert columns == ["name"] and [r["name"] for r in rows] == ["Net0", "Net1", "Net2"]


def test_second_process_reaches_the_store_through_its_holder(server, store_home):
    server.load([make_record("held-1", method="HeldNet", datasets=("HeldSet",))])
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "methods-on-dataset", "-p", "dataset=heldset",
         "--store", str(store_home), "--format", "json"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["method"] == "HeldNet"
    server.remove_papers(["held-1"])


def test_store_files_are_private(server, store_home):
    for name in ("secret.json", "endpoint.json"):
        assert (store_home / name).stat().st_mode & 0o077 == 0


def test_unreachable_bolt_server_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot reach"):
        open_store("bolt://127.0.0.1:1")


def test_unknown_scheme_is_refused():
    with pytest.raises(StoreError, match="unsupported store"):
        open_store("http://example.invalid/db")


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, read from the kernel's socket tables."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


LOOPBACK = {"0100007F",                            # 127.0.0.1
            "0000000000000000FFFF00000100007F",    # ::ffff:127.0.0.1 (Java's IPv4-mapped form)
            "00000000000000000000000001000000"}    # ::1


def test_embedded_listeners_are_bound_to_loopback_only(server):
    from kg.stores import _servers

    held = _servers[server.home]
    http_port = int(held.server.get_http_port())
    for port in (held.port, http_port):
        addresses = _listening_addresses(port)
        assert addresses and addresses <= LOOPBACK, (port, addresses)


def test_count_and_profile_queries_name_every_label_and_type_of_the_schema():
    """node-counts and relation-counts spell out labels and types (one fast count
    each on ArcadeDB), dataset-profile the types ending at a Dataset (one branch
    each): a label or type added to kg/schema.py must be added there."""
    from kg import schema
    from kg.queries import named_query

    nodes = named_query("node-counts").text
    assert all(f"(n:{label})" in nodes and f"'{label}'" in nodes for label in schema.NODE_LABELS)
    relations = named_query("relation-counts").text
    assert all(f"type: '{rel_type}'" in relations for rel_type in schema.RELATIONS)
    profile = named_query("dataset-profile").text
    into_dataset = [t for t, (_sources, targets) in schema.RELATIONS.items() if schema.DATASET in targets]
    assert sorted(set(re.findall(r"\[r:(\w+)\]->\(d\)", profile))) == sorted(into_dataset)


def test_embedded_jvm_runs_the_parallel_collector_unless_told_otherwise(server, monkeypatch):
    """The collector choice of kg/stores.py reaches the running JVM, and a
    collector the user names in ARCADEDB_JVM_ARGS is not overridden."""
    import jpype

    from kg.stores import _jvm_collector_flags

    beans = jpype.JClass("java.lang.management.ManagementFactory").getGarbageCollectorMXBeans()
    assert {str(bean.getName()) for bean in beans} == {"PS Scavenge", "PS MarkSweep"}
    arguments = jpype.JClass("java.lang.management.ManagementFactory").getRuntimeMXBean().getInputArguments()
    assert "-XX:+DisableExplicitGC" in [str(a) for a in arguments]
    monkeypatch.setenv("ARCADEDB_JVM_ARGS", "-Xmx1g -XX:+UseZGC")
    assert _jvm_collector_flags() == ["-XX:+DisableExplicitGC"]


def test_read_gives_plain_dicts_for_nodes_maps_and_lists(store):
    """BoltStore.read zips plain rows and converts the rest with record.data():
    a node comes back as its properties either way."""
    store.load([make_record("p1", method="FooNet", datasets=("COCO",))])
    rows = store.read("MATCH (n:Paper) RETURN n, properties(n) AS props, [n.key, 1] AS pair, "
                      "{key: n.key, tags: ['a']} AS map")
    assert rows[0]["n"] == rows[0]["props"] and rows[0]["props"]["key"] == "p1"
    assert rows[0]["pair"] == ["p1", 1] and rows[0]["map"] == {"key": "p1", "tags": ["a"]}
    assert type(rows[0]["n"]) is dict


def test_only_entities_a_relation_or_result_names_become_nodes(store):
    """A mention no relation takes up (a model named in passing) leaves no node:
    it would have no edge, no paper and no evidence."""
    record = make_record("p1", method="FooNet", datasets=("COCO",),
                         results=[_result("FooNet", "LVIS", 40.0)])
    record["entities"] += [{"label": "Method", "name": "ReLU", "text": "ReLU", "field": "abstract",
                            "start": 0, "end": 4},
                           {"label": "Dataset", "name": "LVIS", "text": "LVIS", "field": "abstract",
                            "start": 0, "end": 4}]
    store.load([record])
    names = {row["name"] for row in store.read("MATCH (n:Method|Dataset) RETURN n.name AS name")}
    assert names == {"FooNet", "COCO", "LVIS"}  # LVIS through the result, ReLU nowhere
    assert not store.read("MATCH (n) WHERE NOT n:Paper AND NOT (n)--() RETURN n.key AS key")


def test_reloading_papers_of_an_older_graph_format_drops_unrelated_entities(store, monkeypatch):
    """Graphs written before format 3 hold entities mentioned in passing: the
    build that reloads their papers (the format is in the hash) deletes them."""
    from kg import loader

    record = make_record("p1", method="FooNet", datasets=("COCO",))
    monkeypatch.setattr(loader, "GRAPH_FORMAT", "2")
    store.load([record])
    with store._driver.session(database=store.database) as session:  # what an older loader left
        session.run("CREATE (:Method {key: 'relu', name: 'ReLU', aliases: ['ReLU']})").consume()
    assert store.load([record]).unchanged == 1  # same format: nothing reloaded, nothing swept
    monkeypatch.setattr(loader, "GRAPH_FORMAT", "3")
    report = store.load([record])
    assert report.updated == 1
    assert {r["name"] for r in store.read("MATCH (n:Method) RETURN n.name AS name")} == {"FooNet"}
