"""Silver NER data for self-training: SciTLDR abstracts labelled by the shipped system.

    python -m extractors.training.silver --data ../shared/datasets --out extractors/training/silver.jsonl

Every SciTLDR abstract (title and abstract sentences; Apache-2.0) not in the
project's own annotated evaluation sets (``data/relations-dev`` and
``data/results-dev``, matched by id and by title) is run through the full
extraction pipeline (:func:`extractors.pipeline.load_pipeline`: rules,
gazetteer and the statistical NER). Only *confident* spans are kept as
entities:

* ``agree`` (default): a span the NER predicts (``doc.spans["ner"]``) with
  exactly the boundaries and label of an entity the rules or gazetteer
  accepted (``doc._.kg_entities`` with a non-NER extractor);
* ``rules``: every accepted rule / gazetteer entity with confidence >=
  ``min_conf``, NER or not (more names, the rules' span conventions).

Any other candidate span (an NER span the rules did not confirm, a rule span
the NER did not find, a gazetteer hit) is written as *missing*: the model is
taught neither that it is an entity nor that it is not. The rest of the
sentence is ``O``. Output: one JSON line per sentence that has at least one
confident span, ``{"id", "text", "ents": [[start, end, label]], "missing":
[[start, end]]}`` with offsets into the sentence text; sentences are the
SciTLDR ``source`` sentences (the title is one more).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the project's own annotated evaluation sets: never trained on, in any form
ANNOTATED = (ROOT / "data" / "relations-dev" / "abstracts.jsonl",
             ROOT / "data" / "results-dev" / "abstracts.jsonl")
SPLIT_FILES = ("train.jsonl", "dev.jsonl", "test.jsonl")


def norm_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (title or "").lower()).strip()


def annotated_keys(paths: Iterable[str | Path] = ANNOTATED) -> tuple[set[str], set[str]]:
    """(ids, normalised titles) of the annotated evaluation abstracts."""
    ids, titles = set(), set()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: the annotated sets must be present to exclude them")
        for line in open(path, encoding="utf-8"):
            if line.strip():
                record = json.loads(line)
                ids.add(record["id"])
                titles.add(norm_title(record.get("title", "")))
    titles.discard("")
    return ids, titles


def scitldr_papers(data_dir: str | Path, exclude: tuple[set[str], set[str]]) -> tuple[list[dict], Counter]:
    ids, titles = exclude
    papers, stats, seen = [], Counter(), set()
    for name in SPLIT_FILES:
        path = Path(data_dir) / "scitldr" / name
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            record = json.loads(line)
            pid = f"scitldr:{record['paper_id']}"
            title = (record.get("title") or "").replace("\n", " ").strip()
            if pid in ids or norm_title(title) in titles:
                stats["excluded_annotated"] += 1
                continue
            if pid in seen:
                stats["duplicate"] += 1
                continue
            seen.add(pid)
            sents = [s.strip() for s in record.get("source") or [] if s.strip()]
            papers.append({"id": pid, "title": title, "sents": sents})
    stats["papers"] = len(papers)
    return papers, stats


def _confident(doc, raw, mode: str, min_conf: float) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(confident (start_char, end_char, label), other candidate (start_char, end_char)) of one Doc.

    ``raw``: the NER model's own Doc of the same text (its spans on its own
    tokens: the bridge's ``doc.spans["ner"]`` are widened to the pipeline's tokens)."""
    ner = {(e.start_char, e.end_char, e.label_) for e in raw.ents}
    rules = []
    for ent in doc._.kg_entities or []:
        if ent["extractor"] == "ner":
            continue
        span = doc[ent["start"]:ent["end"]]
        rules.append((span.start_char, span.end_char, ent["label"], ent["conf"]))
    if mode == "agree":
        keep = {(s, e, lab) for s, e, lab, _ in rules if (s, e, lab) in ner}
    elif mode == "rules":
        keep = {(s, e, lab) for s, e, lab, conf in rules if conf >= min_conf}
    else:
        raise ValueError(f"unknown silver mode {mode!r}")
    others = {(s, e) for s, e, _ in ner} | {(s, e) for s, e, _, _ in rules}
    others |= {(s.start_char, s.end_char) for s in doc.spans.get("ner", [])}
    for key in ("gaz", "gaz_amb"):
        others |= {(s.start_char, s.end_char) for s in doc.spans.get(key, [])}
    for ent in doc._.kg_mentions_only or []:
        span = doc[ent["start"]:ent["end"]]
        others.add((span.start_char, span.end_char))
    others -= {(s, e) for s, e, _ in keep}
    return sorted(keep), sorted(others)


def label_papers(papers: Sequence[dict], model: str | Path | None = None, modes: Sequence[str] = ("agree",),
                 min_conf: float = 0.8, batch_size: int = 32) -> Iterable[tuple[str, dict]]:
    """``(mode, record)`` per mode and sentence with at least one confident span."""
    from extractors.pipeline import load_pipeline

    nlp = load_pipeline(model)
    if "kg_ner" not in nlp.pipe_names:
        raise RuntimeError("the NER model did not load: silver labels need it")

    def texts():
        for paper in papers:
            parts = [paper["title"], *paper["sents"]]
            bounds, pos, pieces = [], 0, []
            for k, part in enumerate(parts):
                sep = "\n\n" if k == 1 else (" " if k > 1 else "")
                pos += len(sep)
                bounds.append((pos, pos + len(part)))
                pieces.append(sep + part)
                pos += len(part)
            yield "".join(pieces), (paper, bounds)

    ner_model = nlp.get_pipe("kg_ner").model
    for doc, (paper, bounds) in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
        raw = ner_model(doc.text)
        for mode in modes:
            keep, others = _confident(doc, raw, mode, min_conf)
            for k, (a, b) in enumerate(bounds):
                ents = [[s - a, e - a, lab] for s, e, lab in keep if a <= s and e <= b]
                if not ents:
                    continue
                missing = [[max(s, a) - a, min(e, b) - a] for s, e in others if s < b and e > a]
                yield mode, {"id": f"{paper['id']}#{k}", "text": doc.text[a:b], "ents": ents, "missing": missing}


def write_silver(data_dir: str | Path, out: str | Path, model: str | Path | None = None,
                 modes: Sequence[str] = ("agree",), min_conf: float = 0.8, limit: int = 0) -> dict:
    """Write one silver file per mode (``out`` may hold ``{mode}``); returns statistics."""
    started = time.time()
    papers, base = scitldr_papers(data_dir, annotated_keys())
    if limit:
        papers = papers[:limit]
    if len(modes) > 1 and "{mode}" not in str(out):
        raise ValueError("several modes need '{mode}' in the output path")
    stats = {mode: Counter(base) for mode in modes}
    files = {}
    for mode in modes:
        path = Path(str(out).format(mode=mode))
        path.parent.mkdir(parents=True, exist_ok=True)
        files[mode] = open(path, "w", encoding="utf-8")
    try:
        for mode, record in label_papers(papers, model, modes, min_conf):
            files[mode].write(json.dumps(record, ensure_ascii=False) + "\n")
            stats[mode]["sentences"] += 1
            stats[mode]["missing"] += len(record["missing"])
            for _, _, label in record["ents"]:
                stats[mode][f"ents_{label}"] += 1
    finally:
        for fh in files.values():
            fh.close()
    return {"seconds": round(time.time() - started, 1), **{m: dict(c) for m, c in stats.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.training.silver", description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/datasets")
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", default=None, help="NER model of the labelling pipeline (default: shipped)")
    ap.add_argument("--mode", default="agree", help="agree, rules, or both comma-separated "
                    "(then --out must hold {mode})")
    ap.add_argument("--min-conf", type=float, default=0.8)
    ap.add_argument("--limit", type=int, default=0, help="first N papers only (0: all)")
    args = ap.parse_args(argv)
    print(json.dumps(write_silver(args.data, args.out, args.model, args.mode.split(","), args.min_conf, args.limit), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
