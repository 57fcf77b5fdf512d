"""Convert annotated scientific-NER data to spaCy ``DocBin`` training corpora.

Reads the formats through :mod:`extractors.evaluate` (same readers, same label
mapping, same fixed-seed split), tokenises every text with ``spacy.blank("en")``
- the tokenizer the shipped pipeline uses - and writes::

    OUT/train/<source>.spacy
    OUT/dev/<source>.spacy

The test split is deliberately *not* written: it is only ever read back from the
raw files by ``python -m extractors.evaluate ... --split test``.

Sources (paths relative to the data directory):

* ``tdmsci`` - ``tdmsci/train_1500_v2.conll`` (Apache-2.0), split by sentence
* ``scirex`` - ``scirex/train_title_abstract.jsonl`` (Apache-2.0), split by paper,
  written one sentence per Doc

SciERC ("research use") and SciER (GPL-3.0) are evaluation-only and cannot be
selected here.

    python -m extractors.training.convert --data ../shared/datasets --out extractors/training/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from extractors.evaluate import (
    SPLIT_SEED,
    Example,
    read_scirex,
    read_tdmsci,
    split_examples,
)

#: source name -> (relative path, reader); only permissively licensed sets.
SOURCES = {
    "tdmsci": ("tdmsci/train_1500_v2.conll", lambda p: read_tdmsci(p)),
    "scirex": ("scirex/train_title_abstract.jsonl", lambda p: read_scirex(p, unit="sentence")),
}


def examples_to_docbin(
    nlp,
    examples: Sequence[Example],
    keep_labels: Sequence[str] | None = None,
    unknown_matcher=None,
):
    """Tokenise examples with ``nlp.make_doc`` and set gold entities.

    Spans not on token boundaries are expanded to the covering tokens;
    overlapping spans are resolved by :func:`spacy.util.filter_spans`
    (longest first).  Spans whose label is not in ``keep_labels`` (when given)
    are marked as *missing* annotation rather than entity or ``O``, so the
    model is neither taught to predict nor to reject them.  Matches of
    ``unknown_matcher`` (a ``PhraseMatcher``) that do not overlap a gold span
    are marked missing too: used for Method names in TDMSci, which does not
    annotate methods, so its ``O`` tokens must not teach "not a Method".
    Returns ``(DocBin, Counter of statistics)``.
    """
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    db = DocBin(store_user_data=False)
    stats: Counter = Counter()
    for ex in examples:
        doc = nlp.make_doc(ex.text)
        spans = []
        for s, e, label in ex.spans:
            span = doc.char_span(s, e, label=label)
            if span is None:
                span = doc.char_span(s, e, label=label, alignment_mode="expand")
                stats["expanded"] += 1
            if span is None or len(span) == 0:
                stats["dropped"] += 1
                continue
            spans.append(span)
        kept = filter_spans(spans)
        stats["overlap_dropped"] += len(spans) - len(kept)
        missing = []
        if keep_labels is not None:
            missing = [sp for sp in kept if sp.label_ not in keep_labels]
            kept = [sp for sp in kept if sp.label_ in keep_labels]
            stats["missing_spans"] += len(missing)
        if unknown_matcher is not None:
            taken = {i for sp in kept + missing for i in range(sp.start, sp.end)}
            found = [doc[a:b] for _, a, b in unknown_matcher(doc)]
            found = [sp for sp in filter_spans(found) if not taken.intersection(range(sp.start, sp.end))]
            missing = filter_spans(missing + found)
            stats["unknown_marked"] += len(found)
        doc.set_ents(kept, missing=missing, default="outside")
        for sp in kept:
            stats[f"ents_{sp.label_}"] += 1
        stats["docs"] += 1
        stats["words"] += len(doc)
        db.add(doc)
    return db, stats


#: the shipped gazetteer's names (PwC datasets/tasks/metrics and model families)
GAZETTEER_NAMES = Path(__file__).resolve().parents[1] / "data" / "gazetteer_names.jsonl"


def mention_pools(examples: Sequence[Example], gazetteer: str | Path | None = GAZETTEER_NAMES,
                  max_words: int = 5) -> dict[str, list[str]]:
    """Names per label for :func:`replace_mentions`: the mentions of ``examples``
    (train split only: they keep the data's span conventions) and, when given,
    the gazetteer's canonical names and aliases (names the train split never shows)."""
    pools: dict[str, set[str]] = defaultdict(set)
    for ex in examples:
        for s, e, label in ex.spans:
            pools[label].add(ex.text[s:e])
    if gazetteer is not None and Path(gazetteer).exists():
        for line in open(gazetteer, encoding="utf-8"):
            record = json.loads(line)
            for name in [record["id"], *record.get("aliases", [])]:
                if len(name.split()) <= max_words:
                    pools[record["label"]].add(name)
    return {label: sorted(names) for label, names in pools.items()}


def replace_mentions(example: Example, pools: dict[str, list[str]], rng: random.Random,
                     prob: float = 0.5) -> Example:
    """A copy of ``example`` with each gold mention swapped, with probability
    ``prob``, for a random name of the same label (mention replacement, Dai &
    Adel 2020). The context stays; the names vary, so the model learns what
    surrounds a dataset or task rather than memorising the few names in train."""
    text, spans, out, pos, shift = example.text, sorted(example.spans), [], 0, 0
    pieces = []
    for s, e, label in spans:
        if s < pos:  # overlapping gold spans: leave the rest of this example alone
            return example
        name = text[s:e]
        if label in pools and pools[label] and rng.random() < prob:
            name = rng.choice(pools[label])
        pieces.append(text[pos:s])
        start = s + shift
        pieces.append(name)
        shift += len(name) - (e - s)
        out.append((start, start + len(name), label))
        pos = e
    pieces.append(text[pos:])
    return Example("".join(pieces), out, example.doc_id)


def method_matcher(nlp, scirex_path: str | Path, seed: int = SPLIT_SEED, min_count: int = 2,
                   exclude: frozenset[str] = frozenset()):
    """A case-sensitive ``PhraseMatcher`` of Method names seen >= ``min_count``
    times in the SciREX *train* split (never dev/test; papers whose
    ``scirex:<doc_id>`` is in ``exclude`` left out)."""
    from spacy.matcher import PhraseMatcher

    counts: Counter = Counter()
    for ex in split_examples(read_scirex(scirex_path), "train", seed):
        if f"scirex:{ex.doc_id}" in exclude:
            continue
        for s, e, label in ex.spans:
            if label == "Method":
                counts[ex.text[s:e]] += 1
    names = sorted(n for n, c in counts.items() if c >= min_count and len(n) >= 2)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    matcher.add("METHOD", [nlp.make_doc(n) for n in names])
    return matcher


def convert(
    data_dir: str | Path,
    out_dir: str | Path,
    sources: Sequence[str] = ("tdmsci", "scirex"),
    seed: int = SPLIT_SEED,
    splits: Sequence[str] = ("train", "dev"),
    keep_labels: dict[str, Sequence[str]] | None = None,
    repeat: dict[str, int] | None = None,
    mask_methods_in: Sequence[str] = (),
    augment: dict[str, float] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> dict:
    """Write ``out_dir/<split>/<source>.spacy`` for each source and split.

    ``exclude``: ``<source>:<doc_id>`` keys never written to the train split
    (the project's own annotated evaluation abstracts,
    :func:`extractors.training.silver.annotated_keys`).

    ``repeat[src]`` copies of a source's train split are written; with
    ``augment[src] = p`` every copy after the first has its mentions swapped
    with probability ``p`` (:func:`replace_mentions`) instead of repeating the
    same sentences."""
    import spacy

    if "test" in splits:
        raise ValueError("the test split is evaluation-only and is not converted")
    nlp = spacy.blank("en")
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    report: dict = {}
    matcher = None
    if mask_methods_in:
        matcher = method_matcher(nlp, data_dir / SOURCES["scirex"][0], seed, exclude=exclude)
    for src in sources:
        if src not in SOURCES:
            raise ValueError(f"unknown or non-trainable source {src!r}; choose from {sorted(SOURCES)}")
        rel, reader = SOURCES[src]
        examples = reader(data_dir / rel)
        for split in splits:
            part = split_examples(examples, split, seed)
            if split == "train" and exclude:
                before = len(part)
                part = [ex for ex in part if f"{src}:{ex.doc_id}" not in exclude]
                excluded = before - len(part)
            else:
                excluded = 0
            keep = (keep_labels or {}).get(src) if split == "train" else None
            um = matcher if (split == "train" and src in mask_methods_in) else None
            db, stats = examples_to_docbin(nlp, part, keep, um)
            if excluded:
                stats["excluded_annotated"] = excluded
            target = out_dir / split / f"{src}.spacy"
            target.parent.mkdir(parents=True, exist_ok=True)
            db.to_disk(target)
            # up-weight a small source by writing extra copies (the reader globs the folder)
            prob = (augment or {}).get(src, 0.0)
            pools = mention_pools(part) if prob else {}
            rng = random.Random(seed)
            for k in range(1, (repeat or {}).get(src, 1) if split == "train" else 1):
                if prob:
                    copies = [replace_mentions(ex, pools, rng, prob) for ex in part]
                    db, extra = examples_to_docbin(nlp, copies, keep, um)
                    stats[f"augmented_x{k}"] = extra["docs"]
                db.to_disk(out_dir / split / f"{src}.x{k}.spacy")
            report[f"{split}/{src}"] = dict(stats)
    return report


def silver_docbin(nlp, path: str | Path, n_docs: int, seed: int = SPLIT_SEED):
    """A ``DocBin`` of ``n_docs`` sentences drawn (seeded, without replacement)
    from a silver file of :mod:`extractors.training.silver`: its confident spans
    as entities, its other candidate spans as *missing*, the rest ``O``.
    Returns ``(DocBin, Counter of statistics)``."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    rng = random.Random(seed)
    rng.shuffle(records)
    db = DocBin(store_user_data=False)
    stats: Counter = Counter()
    for record in records[:n_docs]:
        doc = nlp.make_doc(record["text"])
        ents = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in record["ents"]]
        ents = filter_spans([sp for sp in ents if sp is not None and len(sp)])
        taken = {i for sp in ents for i in range(sp.start, sp.end)}
        missing = [doc.char_span(s, e, alignment_mode="expand") for s, e in record.get("missing", [])]
        missing = filter_spans([sp for sp in missing if sp is not None and len(sp)
                                and not taken.intersection(range(sp.start, sp.end))])
        doc.set_ents(ents, missing=missing, default="outside")
        for sp in ents:
            stats[f"ents_{sp.label_}"] += 1
        stats["missing_spans"] += len(missing)
        stats["docs"] += 1
        stats["words"] += len(doc)
        db.add(doc)
    return db, stats


def write_raw_text(data_dir: str | Path, out_path: str | Path, seed: int = SPLIT_SEED) -> dict:
    """Unlabelled text for ``spacy pretrain``, one ``{"text": ...}`` per line.

    SciTLDR's 3,229 ML abstracts (Apache-2.0; not an NER evaluation set) and the
    *train* split texts of the NER sources. Dev and test texts are left out, so
    pre-training never sees what the model is tuned or scored on.
    """
    data_dir, out_path = Path(data_dir), Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    with open(out_path, "w", encoding="utf-8") as out:
        for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
            path = data_dir / "scitldr" / name
            if not path.exists():
                continue
            for line in open(path, encoding="utf-8"):
                if not line.strip():
                    continue
                record = json.loads(line)
                text = " ".join([record.get("title") or "", *(record.get("source") or [])]).strip()
                if text:
                    out.write(json.dumps({"text": text}) + "\n")
                    counts["scitldr"] += 1
                    counts["words"] += len(text.split())
        for src, (rel, reader) in SOURCES.items():
            if not (data_dir / rel).exists():
                continue
            for ex in split_examples(reader(data_dir / rel), "train", seed):
                out.write(json.dumps({"text": ex.text}) + "\n")
                counts[src] += 1
                counts["words"] += len(ex.text.split())
    return dict(counts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.training.convert")
    ap.add_argument("--data", default="../shared/datasets", help="shared datasets directory")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "corpus"))
    ap.add_argument("--sources", default="tdmsci,scirex", help="comma-separated: tdmsci,scirex")
    ap.add_argument("--seed", type=int, default=SPLIT_SEED)
    args = ap.parse_args(argv)
    report = convert(args.data, args.out, [s for s in args.sources.split(",") if s], args.seed)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
