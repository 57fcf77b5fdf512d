"""``kg eval``: score the product's extraction against annotated research data.

Four systems are compared on the same held-out examples: the trained NER
alone, the rules and gazetteers alone, the full pipeline (rules for
precision, NER for recall) exactly as ``kg build`` runs it, scored on every
mention it reports, and ``graph``: the same run scored on the mentions of the
graph's entities only (``"graph": true``; the rest are mentions the graph's
precision gates leave out). Readers, the
fixed-seed split and the scorer live in ``extractors.evaluate``.
"""

from __future__ import annotations

from pathlib import Path

from extractors import evaluate as ev

#: (format, file under the datasets folder, split scored). The split is the
#: held-out test split for the data the NER was trained on, the whole file
#: for data used only for evaluation.
DEFAULT_SETS = (
    ("tdmsci", "tdmsci/train_1500_v2.conll", "test"),
    ("scirex", "scirex/train_title_abstract.jsonl", "test"),
    ("scierc", "scierc/dev.json", "all"),
    ("scier", "scier/dev.jsonl", "all"),
)
SYSTEMS = ("ner", "rules", "pipeline", "graph")


def pipeline_predictor(use_ner: bool = True, graph_only: bool = False) -> ev.Predictor:
    """Entity spans as ``kg extract`` reports them, for raw text (with
    ``graph_only``, those of the graph's entities only)."""
    from extractors.pipeline import extract, load_pipeline
    from kg.ingest import Paper

    nlp = load_pipeline(use_ner=use_ner)

    def predict(texts: list[str]) -> list[list[ev.Span]]:
        papers = [Paper(id=f"eval-{i}", title="", abstract=text, source="<eval>")
                  for i, text in enumerate(texts)]
        spans = []
        for record in extract(papers, nlp=nlp):
            spans.append(sorted({(e["start"], e["end"], e["label"]) for e in record["entities"]
                                 if e.get("field") == "abstract" and (e["graph"] or not graph_only)}))
        return spans

    return predict


def predictor(system: str) -> ev.Predictor:
    if system == "ner":
        return ev.spacy_predictor(ev.DEFAULT_MODEL)
    if system == "rules":
        return pipeline_predictor(use_ner=False)
    if system == "pipeline":
        return pipeline_predictor(use_ner=True)
    if system == "graph":
        return pipeline_predictor(use_ner=True, graph_only=True)
    raise ValueError(f"unknown system {system!r}; use one of {', '.join(SYSTEMS)}")


def run(sets: list[tuple[str, Path, str]], systems=SYSTEMS, seed: int = ev.SPLIT_SEED) -> list[dict]:
    """Score every system on every data set; one row per (set, system, type)."""
    rows = []
    for fmt, path, split in sets:
        examples = ev.split_examples(ev.read_examples(fmt, path), split, seed)
        for system in systems:
            scores = ev.score(predictor(system), examples, ev.FORMAT_LABELS[fmt])
            for label, values in [("micro", scores["micro"]), *scores["per_type"].items()]:
                rows.append({"data": fmt, "split": split, "n": scores["n_examples"], "system": system,
                             "type": label, "P": round(values["p"], 3), "R": round(values["r"], 3),
                             "F1": round(values["f"], 3), "gold": values.get("support")})
    return rows
