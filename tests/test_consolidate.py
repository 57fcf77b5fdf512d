"""Consolidation after a load: one node, one label, one name per thing, whatever the order."""

from __future__ import annotations

from conftest import make_record
from kg.consolidate import choose, find_groups
from kg.resolve import name_rank


def _row(name, *aliases, known=False, label="Method"):
    return {"name": name, "aliases": [name, *aliases], "name_rank": name_rank(name, known, label)}


def test_groups_join_an_acronym_node_a_key_under_two_labels_and_a_name_with_another_key():
    entities = {
        ("Method", "mcts"): _row("MCTS"),
        ("Method", "montecarlotreesearch"): _row("Monte Carlo tree search", "MCTS"),
        ("Dataset", "mnist"): _row("MNIST", known=True, label="Dataset"),
        ("Method", "mnist"): _row("MNIST"),
        ("Method", "ep"): _row("Equilibrium Propagation", "EP"),  # named by its long form, keyed by its acronym
        ("Method", "mmd"): _row("MMD"),  # an acronym two nodes claim: left alone
        ("Method", "maximummeandiscrepancy"): _row("Maximum Mean Discrepancy", "MMD"),
        ("Method", "multimodalmisinformationdetection"): _row("Multimodal Misinformation Detection", "MMD"),
        ("Method", "bert"): _row("BERT"),
    }
    entities.update({  # one acronym written out two ways: two things, whatever their labels
        ("Metric", "em"): _row("EM", "Exact Match", label="Metric"),
        ("Method", "em"): _row("EM", "Expectation Maximization"),
        ("Task", "ner"): _row("NER", "Named Entity Recognition", label="Task"),
        ("Method", "ner"): _row("NER", "named-entity recognition"),
    })
    groups = find_groups(entities)
    assert not any(("Metric", "em") in g and ("Method", "em") in g for g in groups)
    assert [("Method", "ner"), ("Task", "ner")] in groups
    assert [("Method", "mcts"), ("Method", "montecarlotreesearch")] in groups
    assert [("Dataset", "mnist"), ("Method", "mnist")] in groups
    assert [("Method", "ep")] in groups
    assert not any(("Method", "mmd") in g or ("Method", "bert") in g for g in groups)


def test_the_label_follows_the_evidence_and_the_gazetteer_outweighs_it():
    entities = {("Dataset", "foo"): _row("FooSet", label="Dataset"), ("Method", "foo"): _row("FooSet")}
    group = sorted(entities)
    edges = [{"member": ("Method", "foo"), "type": "USES"}, {"member": ("Method", "foo"), "type": "USES"},
             {"member": ("Dataset", "foo"), "type": "EVALUATES_ON"}]
    assert choose(group, entities, edges)[0] == "Method"
    entities[("Dataset", "foo")] = _row("FooSet", known=True, label="Dataset")
    assert choose(group, entities, edges)[0] == "Dataset"
    even = [{"member": ("Method", "foo"), "type": "USES"}, {"member": ("Dataset", "foo"), "type": "EVALUATES_ON"}]
    entities[("Dataset", "foo")] = _row("FooSet", label="Dataset")
    assert choose(group, entities, even)[0] == "Dataset"  # a tie: the fixed label order


def test_the_name_is_the_best_ranked_whatever_came_first():
    assert name_rank("LAMAR") < name_rank("Latent Multimodal Reconstruction")  # a method: its short name
    assert name_rank("Natural Language Inference", label="Task") < name_rank("NLI", label="Task")
    assert name_rank("Fashion-MNIST") < name_rank("Fashion- MNIST")
    assert name_rank("BiLSTM") < name_rank("bi-LSTM")
    assert name_rank("Cityscapes") < name_rank("CityScapes")
    assert name_rank("Convolutional Neural Networks") < name_rank("convolutional neural networks")
    assert name_rank("ResNet", known=True) < name_rank("RESNET")


def _records():
    def mention(paper_id, label, name, aliases=(), rel="MENTIONS"):
        return {"id": paper_id, "title": f"Paper {paper_id}", "abstract": "An abstract.",
                "entities": [{"label": label, "name": name, "text": name, "aliases": list(aliases),
                              "field": "abstract", "start": 0, "end": len(name)}],
                "relations": [{"type": rel, "source": paper_id, "source_label": "Paper", "target": name,
                               "target_label": label, "evidence": f"... {name} ...", "start": 0, "end": 10,
                               "extractor": "test", "confidence": 0.8}],
                "results": []}

    return [
        mention("p1", "Method", "MCTS", rel="USES"),
        mention("p2", "Method", "Monte Carlo tree search", ["MCTS"], rel="USES"),
        mention("p3", "Method", "Monte-Carlo Tree Search", rel="USES"),
        make_record("p4", method="ZorbNet", datasets=("MNIST",)),
        make_record("p5", method="KiteNet", datasets=("MNIST",)),
        mention("p6", "Method", "MNIST", rel="USES"),  # one paper's wording made it a method
        mention("p7", "Task", "natural language inference"),
        mention("p8", "Task", "Natural Language Inference", ["NLI"], rel="ADDRESSES"),
    ]


def _snapshot(store):
    nodes = store.read("MATCH (n) WHERE NOT n:Paper RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, "
                       "n.papers AS papers ORDER BY label, key")
    edges = store.read("MATCH (a)-[r]->(b) RETURN labels(a)[0] + ':' + a.key AS a, type(r) AS type, "
                       "labels(b)[0] + ':' + b.key AS b, r.paper AS paper ORDER BY a, type, b, paper")
    return nodes, edges


def test_two_orders_give_one_graph(store, server, store_home):
    from kg.stores import EmbeddedStore

    store.load(_records())
    forward = _snapshot(store)
    other = EmbeddedStore(store_home, database=f"{store.database}_rev")
    try:
        other.load(list(reversed(_records())))
        assert _snapshot(other) == forward
    finally:
        other.close()
    nodes, edges = forward
    names = {(n["label"], n["name"]): n["papers"] for n in nodes}
    assert names[("Method", "MCTS")] == 3  # acronym, long form and spelling: one node, by its short name
    assert not any(label == "Method" and "Carlo" in name for label, name in names)
    assert names[("Dataset", "MNIST")] == 3 and ("Method", "MNIST") not in names
    assert {"a": "Paper:p6", "type": "MENTIONS", "b": "Dataset:mnist", "paper": "p6"} in edges  # USES needs a method
    assert names[("Task", "Natural Language Inference")] == 2


def test_a_load_that_writes_nothing_still_consolidates(store):
    """What a build killed between its last batch and the pass leaves is joined by the re-run."""
    records = _records()
    store.load(records)
    store._driver.execute_query(
        "MATCH (p:Paper {key: 'p1'}) CREATE (p)-[:MENTIONS {paper: 'p1'}]->"
        "(:Method {key: 'montecarlotreesearch', name: 'Monte Carlo tree search', papers: 1,"
        " aliases: ['Monte Carlo tree search']})", database_=store.database)
    report = store.load(records)
    assert report.papers == 0 and report.unchanged == len(records) and report.merged == 1
    rows = store.read("MATCH (m:Method) WHERE 'MCTS' IN m.aliases RETURN m.key AS key, m.papers AS papers")
    assert rows == [{"key": "mcts", "papers": 3}]


def _mention(paper_id, label, name, aliases=(), rel="MENTIONS"):
    return {
        "id": paper_id, "title": f"Paper {paper_id}", "abstract": "An abstract.",
        "entities": [{"label": label, "name": name, "text": name, "aliases": list(aliases), "field": "abstract",
                      "start": 0, "end": len(name)}],
        "relations": [{"type": rel, "source": paper_id, "source_label": "Paper", "target": name,
                       "target_label": label, "evidence": f"... {name} ...", "start": 0, "end": 10,
                       "extractor": "test", "confidence": 0.8}],
        "results": []}


def _split_records():
    """Papers whose graph depended on how they were split into builds (SciTLDR, session 8)."""
    return [
        _mention("q1", "Method", "LeNet5", rel="USES"),
        _mention("q2", "Dataset", "LeNet-5", rel="EVALUATES_ON"),  # with q1 alone: a tie, Dataset first
        _mention("q3", "Method", "GMMs", ["Gaussian Mixture Models"], rel="USES"),
        _mention("q4", "Method", "Gaussian Mixture Models", rel="USES"),
        _mention("q5", "Method", "Gaussian Mixture Model", rel="USES"),
        _mention("q6", "Method", "ZSL", rel="USES"),
        _mention("q7", "Task", "ZSL"),
        # later papers: LeNet-5 the method of most, GMM the short form of the singular, ZSL an alias
        _mention("q8", "Method", "LeNet-5", rel="USES"),
        _mention("q9", "Method", "GMM", ["Gaussian Mixture Model"], rel="USES"),
        _mention("q10", "Task", "Zero-Shot Learning", ["ZSL"], rel="ADDRESSES"),
    ]


def test_the_graph_does_not_depend_on_how_papers_are_split_into_builds(store, server, store_home):
    """A pass keeps what it folded (merged_from) and what relationships were extracted as, and
    passes run to a fixed point: several builds end where one build of all the papers ends."""
    from kg.stores import EmbeddedStore

    records = _split_records()
    store.load(records)
    together = _snapshot(store)
    splits = {"early-then-late": [records[:7], records[7:]], "late-then-early": [records[7:], records[:7]],
              "one-at-a-time": [[r] for r in records]}
    for name, batches in splits.items():
        other = EmbeddedStore(store_home, database=f"{store.database}_{name.replace('-', '_')}")
        try:
            for batch in batches:
                other.load(batch)
            assert _snapshot(other) == together, name
        finally:
            other.close()
    names = {(n["label"], n["name"]) for n in together[0]}
    assert ("Method", "LeNet-5") in names or ("Method", "LeNet5") in names
    assert sum(1 for label, name in names if "GMM" in name or "Gaussian" in name) == 1
    assert not any(name == "ZSL" for _label, name in names)  # folded into Zero-Shot Learning
