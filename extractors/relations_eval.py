"""Score entities and relations against the hand-annotated set (``data/relations-dev``).

Two questions, per abstract, on names a researcher would recognise (guidelines:
``docs/relations-annotation.md``):

* **Entities** - does every named method, dataset, task and metric the paper mentions reach the
  graph? ``graph`` scores the entities that become nodes linked to the paper (the endpoints of its
  relations, ``MENTIONS`` included, and of its results); ``all`` every mention the record reports.
  Each is scored untyped (the name reached the graph) and typed (with the gold's type).
* **Relations** - per type (``INTRODUCES``, ``EVALUATES_ON``, ``ADDRESSES``, ``BUILDS_ON``,
  ``APPLIED_TO``, ``USES``, ``COMPARES_WITH``, ``OUTPERFORMS``), and a confusion count of pairs
  found under another type.

Names match loosely where spelling is not the point (case, hyphens, spaces, a leading "the", a
trailing "dataset"/"benchmark"/"model", the acronym or its expansion). The paper's own method
matches as ``OWN`` whether it is named or not; the paper as the source of a lineage relation is
its unnamed own method.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from kg.schema import entity_key

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "relations-dev" / "gold.jsonl"
RELATION_TYPES = ("INTRODUCES", "EVALUATES_ON", "ADDRESSES", "BUILDS_ON", "APPLIED_TO", "USES", "COMPARES_WITH",
                  "OUTPERFORMS")
LABELS = ("Method", "Dataset", "Task", "Metric")
_OWN_SOURCED = ("BUILDS_ON", "APPLIED_TO", "OUTPERFORMS")
_DROP_LAST = {"dataset", "datasets", "benchmark", "benchmarks", "model", "models", "corpus", "task", "suite"}


class RelationsDataError(ValueError):
    """An annotation file that cannot be read; the message names file and line."""


def read_gold(path: str | Path = DEFAULT_FILE, split: str | None = None) -> list[dict]:
    """The annotated abstracts of one split (``dev``, ``test``; ``None``/``all`` = every one)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise RelationsDataError(f"{path}: {error.strerror or error}") from None
    docs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            for key in ("id", "entities", "relations"):
                if key not in doc:
                    raise ValueError(f"no {key!r} field")
            for ent in doc["entities"]:
                if ent.get("type") not in LABELS:
                    raise ValueError(f"entity type {ent.get('type')!r} is not one of {', '.join(LABELS)}")
            for rel in doc["relations"]:
                if rel.get("type") not in RELATION_TYPES:
                    raise ValueError(f"relation type {rel.get('type')!r} is not one of {', '.join(RELATION_TYPES)}")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise RelationsDataError(f"{path}:{number}: {error}") from None
        if split in (None, "all") or doc.get("split") == split:
            docs.append(doc)
    return docs


def name_key(name: str | None) -> str:
    """A name compared loosely: entity_key without a leading "the" or a trailing type noun."""
    words = (name or "").replace("$", "").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in _DROP_LAST:
        words = words[:-1]
    return entity_key(" ".join(words))


def _keys(*names) -> frozenset[str]:
    return frozenset(k for k in (name_key(n) for n in names if n) if k)


# ----------------------------------------------------------------- predictions
def predict(docs: Sequence[dict], n_process: int = 1) -> list[dict]:
    """The extractor's record for every abstract (title and abstract as ``kg build`` reads them)."""
    from extractors.pipeline import extract, load_pipeline
    from kg.ingest import Paper, clean_text

    papers = [Paper(id=d["id"], title=clean_text(d.get("title", "")), abstract=clean_text(d["abstract"]),
                    source="<eval>") for d in docs]
    return list(extract(papers, nlp=load_pipeline(), n_process=n_process))


def predicted_entities(record: dict, tier: str) -> list[dict]:
    """(name, label, keys) of the record's entities in one tier: ``graph`` (nodes the paper links
    to) or ``all`` (every mention)."""
    from kg.loader import graph_results

    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ent in record["entities"]:
        aliases[(ent["label"], ent["name"])].update([ent["text"], *ent.get("aliases", [])])
    if tier == "all":
        names = set(aliases)
    else:
        names = set()
        for rel in record["relations"]:
            for label, name in ((rel["source_label"], rel["source"]), (rel["target_label"], rel["target"])):
                if label in LABELS:
                    names.add((label, name))
        for res in graph_results(record):
            for label, field in (("Method", "method"), ("Dataset", "dataset"), ("Metric", "metric")):
                if res.get(field):
                    names.add((label, res[field]))
    return [{"name": name, "label": label, "keys": _keys(name, *aliases.get((label, name), ()))}
            for label, name in sorted(names)]


def predicted_relations(record: dict) -> list[dict]:
    own = {r["target"] for r in record["relations"] if r["type"] == "INTRODUCES"}
    aliases: dict[str, set[str]] = defaultdict(set)
    for ent in record["entities"]:
        aliases[ent["name"]].update([ent["text"], *ent.get("aliases", [])])
    out = []
    for rel in record["relations"]:
        if rel["type"] not in RELATION_TYPES:
            continue
        if rel["source_label"] == "Paper":
            source = "OWN" if rel["type"] in _OWN_SOURCED else "PAPER"
        else:
            source = "OWN" if rel["source"] in own else rel["source"]
        out.append({"type": rel["type"], "source": source,
                    "source_keys": _keys(rel["source"], *aliases.get(rel["source"], ())) if source not in ("OWN", "PAPER") else frozenset(),
                    "target": rel["target"], "keys": _keys(rel["target"], *aliases.get(rel["target"], ())),
                    "evidence": rel.get("evidence", "")})
    return out


def gold_relations(doc: dict) -> list[dict]:
    ents = {e["name"]: e for e in doc["entities"]}
    own_keys = _keys(doc.get("own")) | {name_key(r["target"]) for r in doc["relations"] if r["type"] == "INTRODUCES"}
    out = []
    for rel in doc["relations"]:
        src = rel["source"]
        if src == "Paper":
            source = "PAPER"
        elif src == "OWN" or name_key(src) in own_keys:
            source = "OWN"
        else:
            source = src
        source_ent = ents.get(src, {})
        target = ents.get(rel["target"], {"name": rel["target"]})
        out.append({"type": rel["type"], "source": source,
                    "source_keys": _keys(src, *source_ent.get("aliases", [])) if source not in ("OWN", "PAPER") else frozenset(),
                    "target": rel["target"], "keys": _keys(target["name"], *target.get("aliases", [])),
                    "evidence": rel.get("evidence", "")})
    return out


# ----------------------------------------------------------------------- score
def _match(gold: Sequence[dict], pred: Sequence[dict], same) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and same(g, p):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def _same_source(g: dict, p: dict) -> bool:
    if g["source"] in ("OWN", "PAPER") or p["source"] in ("OWN", "PAPER"):
        return g["source"] == p["source"]
    return bool(g["source_keys"] & p["source_keys"])


def score(gold_docs: Sequence[dict], records: Sequence[dict]) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    confusion: Counter = Counter()
    errors: dict[str, list[str]] = defaultdict(list)
    for doc, record in zip(gold_docs, records):
        gold_ents = [{"label": e["type"], "name": e["name"], "keys": _keys(e["name"], *e.get("aliases", []))}
                     for e in doc["entities"]]
        for tier in ("graph", "all"):
            pred = predicted_entities(record, tier)
            for typed in (False, True):
                same = (lambda g, p: bool(g["keys"] & p["keys"]) and g["label"] == p["label"]) if typed else \
                    (lambda g, p: bool(g["keys"] & p["keys"]))
                name = f"entities:{tier}:{'typed' if typed else 'name'}"
                pairs = _match(gold_ents, pred, same)
                counts[name].update(tp=len(pairs), pred=len(pred), gold=len(gold_ents))
                if tier == "graph" and typed:
                    for label in LABELS:
                        g_l = [g for g in gold_ents if g["label"] == label]
                        p_l = [p for p in pred if p["label"] == label]
                        counts[f"entities:graph:{label}"].update(tp=len(_match(g_l, p_l, same)), pred=len(p_l),
                                                                 gold=len(g_l))
                if tier == "graph" and not typed:
                    hit = {gi for gi, _ in pairs}
                    errors["entity missed"] += [f"{doc['id']}: {g['name']} ({g['label']})"
                                                for gi, g in enumerate(gold_ents) if gi not in hit]
        gold_rels = gold_relations(doc)
        pred_rels = predicted_relations(record)
        for rtype in RELATION_TYPES:
            g_t = [g for g in gold_rels if g["type"] == rtype]
            p_t = [p for p in pred_rels if p["type"] == rtype]
            pairs = _match(g_t, p_t, lambda g, p: _same_source(g, p) and bool(g["keys"] & p["keys"]))
            counts[f"relation:{rtype}"].update(tp=len(pairs), pred=len(p_t), gold=len(g_t))
            hit_g, hit_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
            errors[f"{rtype} missed"] += [f"{doc['id']}: {g['source']} -> {g['target']} | {g['evidence'][:100]}"
                                          for gi, g in enumerate(g_t) if gi not in hit_g]
            errors[f"{rtype} wrong"] += [f"{doc['id']}: {p['source']} -> {p['target']} | {p['evidence'][:100]}"
                                         for pi, p in enumerate(p_t) if pi not in hit_p]
        for g in gold_rels:
            for p in pred_rels:
                if bool(g["keys"] & p["keys"]) and (_same_source(g, p) or {g["type"], p["type"]} <= {
                        *_OWN_SOURCED, "USES", "COMPARES_WITH"}):
                    confusion[(g["type"], p["type"])] += 1
                    break
    micro = Counter()
    for rtype in RELATION_TYPES:
        micro.update(counts[f"relation:{rtype}"])
    counts["relation:micro"] = micro
    return {"scores": {name: _prf(c["tp"], c["pred"], c["gold"]) for name, c in counts.items()},
            "confusion": confusion, "errors": errors, "n_abstracts": len(gold_docs)}


def evaluate(path: str | Path = DEFAULT_FILE, split: str = "dev") -> dict:
    docs = read_gold(path, split)
    return score(docs, predict(docs))


def agreement(path: str | Path = DEFAULT_FILE, second: str | Path | None = None) -> dict:
    """The second annotator's abstracts (``agreement/second.jsonl``) scored against the first's, as
    if they were predictions: entity names, types and relations."""
    second = Path(second) if second else Path(path).parent / "agreement" / "second.jsonl"
    gold = {d["id"]: d for d in read_gold(path)}
    other = read_gold(second)
    docs, records = [], []
    for d in other:
        if d["id"] not in gold:
            continue
        docs.append(gold[d["id"]])
        own = d.get("own")
        types = {e["name"]: e["type"] for e in d["entities"]}
        relations = [{"type": r["type"], "source_label": "Paper" if r["source"] in ("Paper", "OWN") else "Method",
                      "source": own if r["source"] == "OWN" and own else r["source"], "target": r["target"],
                      "target_label": types.get(r["target"], "Method"), "evidence": r.get("evidence", "")}
                     for r in d["relations"]]
        entities = [{"label": e["type"], "name": e["name"], "text": e["name"], "aliases": e.get("aliases", [])}
                    for e in d["entities"]]
        for ent in entities:  # every entity the second annotator lists is in the graph
            relations.append({"type": "MENTIONS", "source_label": "Paper", "source": None, "target": ent["name"],
                              "target_label": ent["label"]})
        records.append({"entities": entities, "relations": relations, "results": []})
    return score(docs, records)


def rows(report: dict, split: str) -> list[dict]:
    out = []
    for name, s in report["scores"].items():
        out.append({"split": split, "abstracts": report["n_abstracts"], "measure": name, **s})
    order = {name: i for i, name in enumerate(
        ["entities:graph:name", "entities:graph:typed", "entities:all:name", "entities:all:typed",
         *(f"entities:graph:{label}" for label in LABELS), "relation:micro",
         *(f"relation:{t}" for t in RELATION_TYPES)])}
    return sorted(out, key=lambda r: order.get(r["measure"], 99))


def confusion_rows(report: dict) -> list[dict]:
    return [{"gold": g, "predicted": p, "count": n} for (g, p), n in sorted(report["confusion"].items())]


def error_rows(report: dict, examples: int = 0) -> list[dict]:
    return [{"error": name, "count": len(items), "examples": " || ".join(items[:examples])}
            for name, items in sorted(report["errors"].items(), key=lambda kv: -len(kv[1])) if items]
