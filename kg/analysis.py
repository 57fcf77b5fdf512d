"""Graph analysis over the exported networkx graph (see ``kg.export.to_networkx``).

Plain functions of a ``MultiDiGraph`` whose nodes carry ``label`` (and
``name``) and whose edges carry ``type``; the algorithms are networkx's.
Every ranking breaks ties by name, so results are reproducible.
"""

from __future__ import annotations

import networkx as nx
from networkx.algorithms import bipartite

from kg import schema

#: Seed for Louvain community detection (fixed: same graph, same communities).
SEED = 42


def _name(g: nx.Graph, node) -> str:
    data = g.nodes[node]
    return str(data.get("name") or data.get("title") or data.get("key") or node)


def _nodes(g: nx.Graph, label: str) -> list:
    return [n for n, data in g.nodes(data=True) if data.get("label") == label]


def _typed_edges(g: nx.Graph, rel_type: str, source: str, target: str) -> nx.Graph:
    """An undirected simple graph of the ``rel_type`` edges from ``source`` to ``target`` nodes."""
    view = nx.subgraph_view(
        g,
        filter_edge=lambda u, v, *key: (g.get_edge_data(u, v, *key) or {}).get("type") == rel_type
        and g.nodes[u].get("label") == source and g.nodes[v].get("label") == target,
    )
    return nx.Graph(view.edges())


def most_evaluated_datasets(g: nx.MultiDiGraph, n: int = 10) -> list[dict]:
    """Datasets by the number of distinct papers with ``EVALUATES_ON`` to them.

    Rows ``{"id", "dataset", "papers"}``, most papers first, at most ``n``.
    """
    evaluated = nx.DiGraph(nx.subgraph_view(
        g, filter_edge=lambda u, v, *key: (g.get_edge_data(u, v, *key) or {}).get("type") == schema.EVALUATES_ON
        and g.nodes[u].get("label") == schema.PAPER).edges())
    datasets = [d for d in _nodes(g, schema.DATASET) if d in evaluated]
    rows = [{"id": d, "dataset": _name(g, d), "papers": evaluated.in_degree(d)} for d in datasets]
    rows = [row for row in rows if row["papers"] > 0]
    rows.sort(key=lambda row: (-row["papers"], row["dataset"], row["id"]))
    return rows[:n]


def method_dataset_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected bipartite Method–Dataset graph of ``REPORTS_ON`` edges."""
    bip = _typed_edges(g, schema.REPORTS_ON, schema.METHOD, schema.DATASET)
    for node in bip:
        bip.nodes[node].update(g.nodes[node], bipartite=0 if g.nodes[node].get("label") == schema.METHOD else 1)
    return bip


def pagerank(graph: nx.Graph) -> dict:
    """networkx's PageRank; its pure-Python variant where SciPy is not installed."""
    try:
        return nx.pagerank(graph)
    except ModuleNotFoundError:  # nx.pagerank needs SciPy, which ml-kg does not require
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(graph)


def central_methods(g: nx.MultiDiGraph, n: int = 10) -> list[dict]:
    """Methods by PageRank on the Method–Dataset ``REPORTS_ON`` graph (undirected).

    Rows ``{"id", "method", "score", "datasets"}`` (``datasets``: how many
    datasets it reports on), highest score first, at most ``n``.
    """
    bip = method_dataset_graph(g)
    if bip.number_of_edges() == 0:
        return []
    rank = pagerank(bip)
    methods = [m for m, data in bip.nodes(data=True) if data.get("label") == schema.METHOD]
    rows = [{"id": m, "method": _name(g, m), "score": rank[m], "datasets": bip.degree(m)}
            for m in methods]
    rows.sort(key=lambda row: (-round(row["score"], 12), row["method"], row["id"]))
    return rows[:n]


def co_evaluation_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Datasets joined when one paper (``EVALUATES_ON``) or method (``REPORTS_ON``) evaluates on both.

    Edge ``weight``: how many papers and methods the two datasets share.
    Every dataset is a node, also one evaluated alone.
    """
    evaluators = nx.compose(_typed_edges(g, schema.EVALUATES_ON, schema.PAPER, schema.DATASET),
                            _typed_edges(g, schema.REPORTS_ON, schema.METHOD, schema.DATASET))
    datasets = _nodes(g, schema.DATASET)
    evaluators.add_nodes_from(datasets)
    if evaluators.number_of_nodes() == len(datasets):  # nobody evaluates anything
        projected = nx.Graph()
        projected.add_nodes_from(datasets)
    else:
        projected = bipartite.weighted_projected_graph(evaluators, datasets)
    for node in projected:
        projected.nodes[node].update(g.nodes[node])
    return projected


def co_evaluation_communities(g: nx.MultiDiGraph, min_size: int = 1, seed: int = SEED) -> list[list[str]]:
    """Communities (Louvain, fixed seed) of the co-evaluation graph of datasets.

    Each community is a sorted list of dataset names; largest first, then by
    first name. ``min_size=2`` leaves out datasets nobody compares with another.
    """
    projected = co_evaluation_graph(g)
    if projected.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(projected, weight="weight", seed=seed)
    communities = [sorted(_name(g, d) for d in community) for community in found]
    communities = [c for c in communities if len(c) >= min_size]
    communities.sort(key=lambda c: (-len(c), c))
    return communities


def _components(g: nx.Graph) -> int:
    if g.number_of_nodes() == 0:
        return 0
    if g.is_directed():
        return nx.number_weakly_connected_components(g)
    return nx.number_connected_components(g)


def summary(g: nx.MultiDiGraph, n: int = 10) -> dict:
    """Counts plus the three analyses, for ``kg stats --analysis`` and the explorer."""
    labels: dict[str, int] = {}
    for _, data in g.nodes(data=True):
        label = str(data.get("label"))
        labels[label] = labels.get(label, 0) + 1
    types: dict[str, int] = {}
    for *_, data in g.edges(data=True):
        rel_type = str(data.get("type"))
        types[rel_type] = types.get(rel_type, 0) + 1
    return {
        "nodes": g.number_of_nodes(),
        "relationships": g.number_of_edges(),
        "labels": dict(sorted(labels.items())),
        "types": dict(sorted(types.items())),
        "components": _components(g),
        "most_evaluated_datasets": most_evaluated_datasets(g, n),
        "central_methods": central_methods(g, n),
        "communities": co_evaluation_communities(g, min_size=2),
    }
