"""Graph analysis on hand-made networkx graphs with known answers."""

from __future__ import annotations

import networkx as nx
import pytest

from kg import analysis
from kg.schema import DATASET, EVALUATES_ON, METHOD, OUTPERFORMS, PAPER, REPORTS_ON, USES


def _graph(papers=(), methods=(), datasets=(), edges=()) -> nx.MultiDiGraph:
    """Nodes 'Label:x' named X; edges (source, target, type, paper)."""
    g = nx.MultiDiGraph()
    for label, names in ((PAPER, papers), (METHOD, methods), (DATASET, datasets)):
        for name in names:
            g.add_node(f"{label}:{name}", label=label, key=name, name=name.upper())
    for source, target, rel_type, paper in edges:
        g.add_edge(source, target, key=f"{rel_type}:{paper}", type=rel_type, paper=paper)
    return g


def _ev(paper, dataset):
    return (f"Paper:{paper}", f"Dataset:{dataset}", EVALUATES_ON, paper)


def _rep(method, dataset, paper="p"):
    return (f"Method:{method}", f"Dataset:{dataset}", REPORTS_ON, paper)


# --- most evaluated datasets ------------------------------------------------------

def test_most_evaluated_datasets_counts_distinct_papers():
    g = _graph(papers=["p1", "p2", "p3"], methods=["m"], datasets=["a", "b", "c", "d"],
               edges=[_ev("p1", "a"), _ev("p2", "a"), _ev("p3", "a"), _ev("p1", "b"), _ev("p2", "b"),
                      _ev("p3", "c"), _rep("m", "d", "p1"), _rep("m", "d", "p2"), _rep("m", "d", "p3")])
    g.add_edge("Paper:p1", "Dataset:a", key="EVALUATES_ON:again", type=EVALUATES_ON, paper="p1")
    rows = analysis.most_evaluated_datasets(g)
    assert [(r["dataset"], r["papers"]) for r in rows] == [("A", 3), ("B", 2), ("C", 1)]
    assert rows[0]["id"] == "Dataset:a"  # 'd' has REPORTS_ON only: not evaluated by a paper
    assert [r["dataset"] for r in analysis.most_evaluated_datasets(g, n=2)] == ["A", "B"]


def test_most_evaluated_datasets_breaks_ties_by_name():
    g = _graph(papers=["p1"], datasets=["zeta", "alpha", "mid"],
               edges=[_ev("p1", "zeta"), _ev("p1", "alpha"), _ev("p1", "mid")])
    assert [r["dataset"] for r in analysis.most_evaluated_datasets(g)] == ["ALPHA", "MID", "ZETA"]
    assert analysis.most_evaluated_datasets(nx.MultiDiGraph()) == []


# --- central methods ------------------------------------------------------------------

def test_central_methods_ranks_the_hub_first():
    # hub reports on every dataset; leaf1 and leaf2 on one each; OUTPERFORMS/USES do not count
    g = _graph(papers=["p1"], methods=["hub", "leaf1", "leaf2", "loner"], datasets=["a", "b", "c"],
               edges=[_rep("hub", "a"), _rep("hub", "b"), _rep("hub", "c"), _rep("leaf1", "a"),
                      _rep("leaf2", "b"), _rep("hub", "a", "p2"),
                      ("Method:loner", "Method:hub", OUTPERFORMS, "p1"),
                      ("Paper:p1", "Method:loner", USES, "p1")])
    rows = analysis.central_methods(g)
    assert [r["method"] for r in rows] == ["HUB", "LEAF1", "LEAF2"]  # loner reports on nothing
    assert rows[0]["datasets"] == 3 and rows[1]["datasets"] == 1
    assert rows[1]["score"] == pytest.approx(rows[2]["score"])  # symmetric leaves: equal rank
    assert rows[0]["score"] > rows[1]["score"]
    assert [r["method"] for r in analysis.central_methods(g, n=1)] == ["HUB"]


def test_central_methods_is_pagerank_of_the_undirected_bipartite_graph():
    g = _graph(methods=["m1", "m2"], datasets=["a", "b"],
               edges=[_rep("m1", "a"), _rep("m1", "b"), _rep("m2", "b")])
    bip = analysis.method_dataset_graph(g)
    assert not bip.is_directed()
    assert {frozenset(e) for e in bip.edges()} == {frozenset(("Method:m1", "Dataset:a")),
                                                   frozenset(("Method:m1", "Dataset:b")),
                                                   frozenset(("Method:m2", "Dataset:b"))}
    # a path a - m1 - b - m2: the ends share rank 'ends', the middle nodes 'middle'; sums to 1
    rank = analysis.pagerank(bip)
    assert sum(rank.values()) == pytest.approx(1.0)
    assert rank["Method:m1"] == pytest.approx(rank["Dataset:b"])
    assert rank["Method:m2"] == pytest.approx(rank["Dataset:a"])
    scores = {r["method"]: r["score"] for r in analysis.central_methods(g)}
    assert scores == {"M1": pytest.approx(rank["Method:m1"]), "M2": pytest.approx(rank["Method:m2"])}
    assert analysis.central_methods(_graph(methods=["m"], datasets=["a"])) == []


# --- co-evaluation communities ------------------------------------------------------

def _two_clusters() -> nx.MultiDiGraph:
    # papers compare a, b, c; a method compares d and e; f is evaluated alone
    return _graph(papers=["p1", "p2", "p3", "p4"], methods=["m"], datasets=list("abcdef"),
                  edges=[_ev("p1", "a"), _ev("p1", "b"), _ev("p2", "b"), _ev("p2", "c"),
                         _ev("p3", "a"), _ev("p3", "c"), _rep("m", "d"), _rep("m", "e"),
                         _ev("p4", "f")])


def test_co_evaluation_links_datasets_sharing_a_paper_or_a_method():
    projected = analysis.co_evaluation_graph(_two_clusters())
    assert {frozenset(e) for e in projected.edges()} == {
        frozenset(("Dataset:a", "Dataset:b")), frozenset(("Dataset:b", "Dataset:c")),
        frozenset(("Dataset:a", "Dataset:c")), frozenset(("Dataset:d", "Dataset:e"))}
    assert projected.degree("Dataset:f") == 0


def test_co_evaluation_communities_are_the_two_clusters():
    g = _two_clusters()
    assert analysis.co_evaluation_communities(g) == [["A", "B", "C"], ["D", "E"], ["F"]]
    assert analysis.co_evaluation_communities(g, min_size=2) == [["A", "B", "C"], ["D", "E"]]
    assert analysis.co_evaluation_communities(g) == analysis.co_evaluation_communities(g)  # fixed seed
    assert analysis.co_evaluation_communities(nx.MultiDiGraph()) == []


def test_weak_bridge_does_not_merge_dense_clusters():
    # two 4-cliques of co-evaluation joined by one paper evaluating on c and w
    papers, edges = [], []
    for cluster in ("abcd", "wxyz"):
        for i, first in enumerate(cluster):
            for second in cluster[i + 1:]:
                paper = f"p{first}{second}"
                papers.append(paper)
                edges += [_ev(paper, first), _ev(paper, second)]
    papers.append("bridge")
    edges += [_ev("bridge", "c"), _ev("bridge", "w")]
    g = _graph(papers=papers, datasets=list("abcdwxyz"), edges=edges)
    assert analysis.co_evaluation_communities(g) == [["A", "B", "C", "D"], ["W", "X", "Y", "Z"]]


# --- summary ----------------------------------------------------------------------------

def test_summary_combines_counts_and_analyses():
    g = _two_clusters()
    result = analysis.summary(g, n=2)
    assert result["nodes"] == 11 and result["relationships"] == 9
    assert result["labels"] == {"Dataset": 6, "Method": 1, "Paper": 4}
    assert result["types"] == {"EVALUATES_ON": 7, "REPORTS_ON": 2}
    assert result["components"] == 3
    assert [r["dataset"] for r in result["most_evaluated_datasets"]] == ["A", "B"]
    assert [r["method"] for r in result["central_methods"]] == ["M"]
    assert result["communities"] == [["A", "B", "C"], ["D", "E"]]
    empty = analysis.summary(nx.MultiDiGraph())
    assert empty["nodes"] == 0 and empty["communities"] == [] and empty["central_methods"] == []


def test_analysis_runs_on_an_exported_store(store):
    from conftest import make_record
    from kg.export import to_networkx

    store.load([make_record("p1", method="FooNet", datasets=("COCO", "LVIS")),
                make_record("p2", method="BarNet", datasets=("COCO",))])
    result = analysis.summary(to_networkx(store))
    assert result["most_evaluated_datasets"][0] == {"id": "Dataset:coco", "dataset": "COCO", "papers": 2}
    assert result["central_methods"][0]["method"] == "FooNet"
    assert result["communities"] == [["COCO", "LVIS"]]
