"""Score reported results against the hand-annotated results set (``data/results-dev``).

Gold and predictions are matched per abstract, one to one, at three levels:

* ``value``              the number alone;
* ``value+metric+dataset`` the leaderboard cell: what was measured, on what;
* ``+method``            and whose number it is (the paper's own method, or the named one).

Names are compared loosely where spelling is not the point: case, hyphens, spaces, a trailing
"dataset"/"benchmark"/"score", metric aliases through the shipped metric table, and the gold's
``|``-separated alternatives. Versions and splits are not forgiven: "SQuAD" is not "SQuAD 2.0".
The annotation guidelines are in ``docs/results-annotation.md``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "results-dev" / "results.jsonl"
KINDS = ("score", "improvement", "cost")
LEVELS = ("value", "value+metric+dataset", "value+metric+dataset+method")
#: the extractor's older kind names, read as the annotation's
_KIND_ALIASES = {"speedup": "cost", "baseline": "score"}
_DROP_WORDS = {"the", "dataset", "datasets", "benchmark", "benchmarks", "corpus", "score", "task", "set", "to"}


class ResultsDataError(ValueError):
    """A results annotation file that cannot be read; the message names file and line."""


def read_gold(path: str | Path = DEFAULT_FILE, split: str | None = None) -> list[dict]:
    """The annotated abstracts of one split (``dev``, ``test``; ``None``/``all`` = every one)."""
    path = Path(path)
    docs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ResultsDataError(f"{path}: {error.strerror or error}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            for key in ("id", "abstract", "results"):
                if key not in doc:
                    raise ValueError(f"no {key!r} field")
            for res in doc["results"]:
                float(res["value"])
                if res.get("kind") not in KINDS:
                    raise ValueError(f"kind {res.get('kind')!r} is not one of {', '.join(KINDS)}")
        except (ValueError, KeyError, TypeError) as error:
            raise ResultsDataError(f"{path}:{number}: {error}") from None
        if split in (None, "all") or doc.get("split") == split:
            docs.append(doc)
    return docs


# --------------------------------------------------------------- comparison

def _norm(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"(\d)\.0\b", r"\1", text.lower())  # "v2.0" is "v2"
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    words = [w for w in words if w not in _DROP_WORDS] or words
    return "".join(words)


def _alternatives(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split("|") if t.strip()]


class Comparer:
    """Loose name equality for metrics, datasets and methods."""

    def __init__(self, canonical_metric: Callable[[str], str | None] | None = None):
        if canonical_metric is None:
            from extractors.components.gazetteer import metric_table
            table = metric_table()
            canonical_metric = table.canonical
        self._canonical = canonical_metric

    def metric_key(self, name: str) -> str:
        return _norm(self._canonical(name) or name)

    def metric(self, gold: str | None, pred: str | None) -> bool:
        """Either side may list alternatives with "|" (a second annotator's file does)."""
        alts, preds = _alternatives(gold), _alternatives(pred)
        if not alts or not preds:
            return not alts and not preds
        keys = {self.metric_key(a) for a in alts} | {_norm(a) for a in alts}
        return any(self.metric_key(p) in keys or _norm(p) in keys for p in preds)

    @staticmethod
    def name(gold: str | None, pred: str | None) -> bool:
        alts, preds = _alternatives(gold), _alternatives(pred)
        if not alts or not preds:
            return not alts and not preds
        return bool({_norm(p) for p in preds} & {_norm(a) for a in alts})

    def method(self, gold: dict, pred: dict) -> bool:
        if gold.get("own"):
            return bool(pred.get("own")) or (bool(gold.get("method")) and self.name(gold.get("method"), pred.get("method")))
        return not pred.get("own") and self.name(gold.get("method"), pred.get("method"))


def _same_value(g: dict, p: dict) -> bool:
    """Values compare without their sign (the guidelines write "+5.1" and "-0.05%" unsigned)."""
    a, b = abs(float(g["value"])), abs(float(p["value"]))
    return abs(a - b) <= 1e-6 * max(1.0, abs(a))


def _level_test(level: str, cmp: Comparer) -> Callable[[dict, dict], bool]:
    def test(g: dict, p: dict) -> bool:
        if not _same_value(g, p):
            return False
        if level == "value":
            return True
        if not (cmp.metric(g.get("metric"), p.get("metric")) and cmp.name(g.get("dataset"), p.get("dataset"))):
            return False
        return level != LEVELS[2] or cmp.method(g, p)
    return test


def _match(gold: Sequence[dict], pred: Sequence[dict], test: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedy in text order."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and test(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "tp": tp, "pred": n_pred, "gold": n_gold}


def normalise_prediction(res: dict) -> dict:
    """A record's result in the annotation's terms (kind names, the ``own`` flag)."""
    out = dict(res)
    out["kind"] = _KIND_ALIASES.get(res.get("kind"), res.get("kind"))
    return out


def score(gold_docs: Sequence[dict], pred_docs: Sequence[Sequence[dict]], cmp: Comparer | None = None) -> dict:
    """P/R/F1 per level and per kind, and the error classes, over paired documents."""
    cmp = cmp or Comparer()
    totals = {level: [0, 0, 0] for level in LEVELS}
    by_kind = {k: [0, 0, 0] for k in KINDS}
    errors: Counter = Counter()
    field_errors: Counter = Counter()
    examples: dict[str, list[str]] = {}
    full = _level_test(LEVELS[2], cmp)
    vmd = _level_test(LEVELS[1], cmp)
    for doc, pred in zip(gold_docs, pred_docs):
        gold = doc["results"]
        pred = [normalise_prediction(p) for p in pred]
        for level in LEVELS:
            pairs = _match(gold, pred, _level_test(level, cmp))
            totals[level][0] += len(pairs)
            totals[level][1] += len(pred)
            totals[level][2] += len(gold)
        # per kind: the leaderboard cell and the kind both right
        pairs = _match(gold, pred, lambda g, p: vmd(g, p) and g["kind"] == p.get("kind"))
        for k in KINDS:
            by_kind[k][0] += sum(1 for gi, _ in pairs if gold[gi]["kind"] == k)
            by_kind[k][1] += sum(1 for p in pred if p.get("kind") == k)
            by_kind[k][2] += sum(1 for g in gold if g["kind"] == k)
        # error classes, from the gold side, then predictions with no gold value
        matched = _match(gold, pred, full)
        done_g = {gi for gi, _ in matched}
        done_p = {pi for _, pi in matched}
        for gi, g in enumerate(gold):
            if gi in done_g:
                continue
            candidates = [pi for pi, p in enumerate(pred) if pi not in done_p and _same_value(g, p)]
            if not candidates:
                cls = "missed"
            else:
                p = pred[candidates[0]]
                wrong = [name for name, ok in (
                    ("metric", cmp.metric(g.get("metric"), p.get("metric"))),
                    ("dataset", cmp.name(g.get("dataset"), p.get("dataset"))),
                    ("method", cmp.method(g, p))) if not ok]
                for name in wrong:
                    field_errors[f"wrong {name}"] += 1
                cls = f"wrong {wrong[0]}"
                done_p.add(candidates[0])
                detail = {"metric": p.get("metric"), "dataset": p.get("dataset"),
                          "method": p.get("method"), "own": p.get("own")}
                examples.setdefault(cls, []).append(
                    f"{doc['id']}: {g.get('text', g['value'])} gold {_brief(g)} / pred {_brief(detail)}")
                errors[cls] += 1
                continue
            errors[cls] += 1
            examples.setdefault(cls, []).append(f"{doc['id']}: {g.get('text', g['value'])} gold {_brief(g)}")
        for pi, p in enumerate(pred):
            if pi in done_p:
                continue
            if any(_same_value(g, p) for g in gold):
                cls = "duplicate or extra reading"
            else:
                cls = "not a result"
            errors[cls] += 1
            examples.setdefault(cls, []).append(f"{doc['id']}: {p.get('text', p['value'])} pred {_brief(p)}")
    return {
        "n_docs": len(gold_docs),
        "levels": {level: _prf(*totals[level]) for level in LEVELS},
        "kinds": {k: _prf(*by_kind[k]) for k in KINDS},
        "errors": dict(errors.most_common()),
        "field_errors": dict(field_errors.most_common()),
        "examples": examples,
    }


def _brief(r: dict) -> str:
    keys = ("kind", "metric", "dataset", "method", "own")
    return "(" + ", ".join(f"{k}={r.get(k)!r}" for k in keys if k in r) + ")"


# --------------------------------------------------------------- prediction

def predict(docs: Sequence[dict], n_process: int = 1) -> list[list[dict]]:
    """The pipeline's results for each annotated abstract, exactly as ``kg extract`` writes them."""
    from extractors.pipeline import extract, load_pipeline
    from kg.ingest import Paper

    nlp = load_pipeline()
    papers = [Paper(id=d["id"], title=d.get("title", ""), abstract=d["abstract"], source="<results-eval>")
              for d in docs]
    out = []
    for record in extract(papers, nlp=nlp, n_process=n_process):
        introduced = {r["target"] for r in record["relations"]
                      if r.get("type") == "INTRODUCES" and r.get("target_label") == "Method"}
        results = []
        for r in record["results"]:
            if r.get("field", "abstract") != "abstract":
                continue
            if "own" not in r:  # records older than the flag: the paper's own method by name
                r = dict(r, own=bool(r.get("method")) and r.get("method") in introduced)
            results.append(r)
        out.append(results)
    return out


def rows(report: dict, split: str) -> list[dict]:
    """The report as table rows (one per level and kind) for ``kg eval``."""
    out = []
    for level, values in report["levels"].items():
        out.append({"data": "results", "split": split, "n": report["n_docs"], "scope": level, **values})
    for kind, values in report["kinds"].items():
        out.append({"data": "results", "split": split, "n": report["n_docs"], "scope": f"kind={kind}", **values})
    return out


def error_rows(report: dict, examples: int = 0) -> list[dict]:
    out = [{"class": cls, "count": n} for cls, n in report["errors"].items()]
    if examples:
        for row in out:
            row["examples"] = " | ".join(report["examples"].get(row["class"], [])[:examples])
    return out


def agreement(path: str | Path = DEFAULT_FILE, second: str | Path | None = None) -> dict:
    """The first annotation scored against a second annotator's (``data/results-dev/agreement``):
    how far two people following the same guidelines agree, the ceiling for the extractor."""
    folder = Path(second) if second else Path(path).parent / "agreement"
    others = []
    for part in sorted(folder.glob("part*.jsonl")):
        others += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {d["id"]: d for d in read_gold(path)}
    return score([gold[d["id"]] for d in others], [d["results"] for d in others])


def evaluate(path: str | Path = DEFAULT_FILE, split: str = "dev") -> dict:
    gold = read_gold(path, split)
    if not gold:
        raise ResultsDataError(f"{path}: no abstracts in split {split!r}")
    return score(gold, predict(gold))


def iter_errors(report: dict) -> Iterable[str]:
    for cls, items in report["examples"].items():
        for item in items:
            yield f"{cls}\t{item}"
