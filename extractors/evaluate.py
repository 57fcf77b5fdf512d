"""Evaluate an entity extractor against externally annotated scientific-NER data.

Readers turn four annotated formats into :class:`Example` records (plain text plus
gold character spans labelled with the project's entity types), :func:`score`
computes exact-span precision / recall / F1 per type and micro-averaged, and
:func:`format_table` renders the result.  :func:`split_examples` is the single
place where the fixed-seed train/dev/test split is decided; the training-corpus
converter (``extractors.training.convert``) uses the same function, so
``--split test`` here is exactly the data the shipped model never saw.

Command line::

    python -m extractors.evaluate --format tdmsci PATH [--split test] [--model DIR]

Supported formats (label mapping in brackets):

* ``tdmsci``  - TDMSci CoNLL: ``token<TAB>char_offset<TAB>BIO`` (TASK, DATASET, METRIC)
* ``scirex``  - SciREX jsonl: ``words`` + ``ner`` [start, end_exclusive, type]
  (Method, Task, Metric, Material -> Dataset)
* ``scierc``  - SciERC DyGIE json lines: ``sentences`` + per-sentence ``ner``
  [start, end_inclusive, type] with document-level token indices
  (Material -> Dataset; OtherScientificTerm and Generic dropped)
* ``scier``   - SciER jsonl: one sentence per line, entity *strings* with types;
  spans are recovered by locating the strings in the sentence text.

Nothing here reads data at import time and nothing depends on ``sys.argv``
except :func:`main`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

LABELS: tuple[str, ...] = ("Method", "Dataset", "Task", "Metric")

Span = tuple[int, int, str]
Predictor = Callable[[list[str]], list[list[Span]]]

#: Entity types each annotated format actually labels.  Scoring a format is
#: restricted to these, so (e.g.) a Method prediction on TDMSci text, which has
#: no Method annotation, is neither rewarded nor penalised.
FORMAT_LABELS: dict[str, tuple[str, ...]] = {
    "tdmsci": ("Task", "Dataset", "Metric"),
    "scirex": LABELS,
    "scierc": LABELS,
    "scier": ("Method", "Dataset", "Task"),
}

_LABEL_MAP: dict[str, str | None] = {
    "task": "Task",
    "dataset": "Dataset",
    "material": "Dataset",
    "metric": "Metric",
    "method": "Method",
    "otherscientificterm": None,
    "generic": None,
}

SPLIT_SEED = 13
SPLIT_RATIOS = (0.8, 0.1, 0.1)
SPLITS = ("train", "dev", "test")


class Example(NamedTuple):
    """One unit of annotated text.

    ``spans`` are ``(start_char, end_char, label)`` with ``end_char`` exclusive and
    ``label`` one of :data:`LABELS`.  ``doc_id`` names the group the example is
    split by (a paper for SciREX / SciERC / SciER, a sentence for TDMSci, whose
    sentences were sampled independently).
    """

    text: str
    spans: list[Span]
    doc_id: str


def map_label(raw: str) -> str | None:
    """Map a source-format entity type to a project label (``None`` = drop)."""
    key = raw.strip().lower()
    if key not in _LABEL_MAP:
        raise ValueError(f"unknown entity type {raw!r}")
    return _LABEL_MAP[key]


# --------------------------------------------------------------------------
# text reconstruction
# --------------------------------------------------------------------------

_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "?", "!", "%", "'s", "n't", "'"}
_NO_SPACE_AFTER = {"(", "[", "{"}


def detokenize(words: Sequence[str]) -> tuple[str, list[int]]:
    """Join pre-tokenised words into readable text; return it and each word's start.

    Deterministic and light: no space before closing punctuation, none after
    opening brackets, and ``a - b`` between alphanumerics becomes ``a-b``.
    Every word appears verbatim in the text, so word-level spans map to exact
    character spans.
    """
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, w in enumerate(words):
        if i > 0:
            prev = words[i - 1]
            glue = (
                w in _NO_SPACE_BEFORE
                or prev in _NO_SPACE_AFTER
                or (
                    w == "-"
                    and prev[-1:].isalnum()
                    and i + 1 < len(words)
                    and words[i + 1][:1].isalnum()
                )
                or (prev == "-" and i >= 2 and words[i - 2][-1:].isalnum() and w[:1].isalnum())
            )
            if not glue:
                parts.append(" ")
                pos += 1
        starts.append(pos)
        parts.append(w)
        pos += len(w)
    return "".join(parts), starts


def _word_spans_to_chars(
    words: Sequence[str], starts: Sequence[int], spans: Iterable[tuple[int, int, str]]
) -> list[Span]:
    """Word spans ``[start, end_exclusive, raw_type]`` -> mapped char spans."""
    out: set[Span] = set()
    for s, e, raw in spans:
        label = map_label(raw)
        if label is None or e <= s:
            continue
        out.add((starts[s], starts[e - 1] + len(words[e - 1]), label))
    return sorted(out)


# --------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------


def read_tdmsci(path: str | Path) -> list[Example]:
    """TDMSci CoNLL (token, char offset, BIO tag), one example per sentence.

    The original spacing is rebuilt from the character offsets.  ``doc_id`` is
    the whitespace-normalised sentence text, so duplicated sentences always land
    in the same split.
    """
    examples: list[Example] = []
    rows: list[tuple[str, int, str]] = []

    def flush() -> None:
        if not rows:
            return
        base = rows[0][1]
        text = ""
        starts: list[int] = []
        for tok, off, _ in rows:
            rel = off - base
            if rel < len(text):  # inconsistent offset: fall back to one space
                rel = len(text) + (1 if text else 0)
            text += " " * (rel - len(text))
            starts.append(len(text))
            text += tok
        spans: list[Span] = []
        cur: list | None = None
        for i, (tok, _, tag) in enumerate(rows):
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
                if cur:
                    spans.append(tuple(cur))
                cur = [starts[i], starts[i] + len(tok), tag[2:]]
            elif tag.startswith("I-"):
                cur[1] = starts[i] + len(tok)
            else:
                if cur:
                    spans.append(tuple(cur))
                cur = None
        if cur:
            spans.append(tuple(cur))
        mapped = sorted({(s, e, lab) for s, e, raw in spans if (lab := map_label(raw))})
        examples.append(Example(text, mapped, " ".join(text.split())))
        rows.clear()

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                continue
            if line.startswith("-DOCSTART-"):
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            tok, off, tag = parts[0], int(parts[1]), parts[-1]
            rows.append((tok, off, tag))
    flush()
    return examples


def read_scirex(path: str | Path, unit: str = "doc") -> list[Example]:
    """SciREX jsonl (``words``, ``sentences``, ``ner``); ``unit`` is ``doc`` or ``sentence``.

    Sentence units keep the paper's ``doc_id`` so splitting stays by paper;
    mentions crossing a sentence boundary are dropped at sentence level.
    """
    if unit not in ("doc", "sentence"):
        raise ValueError("unit must be 'doc' or 'sentence'")
    examples: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            words = d["words"]
            doc_id = str(d.get("doc_id", len(examples)))
            ner = [tuple(x[:3]) for x in d.get("ner", [])]
            if unit == "doc":
                text, starts = detokenize(words)
                examples.append(Example(text, _word_spans_to_chars(words, starts, ner), doc_id))
                continue
            for s0, s1 in d.get("sentences") or [[0, len(words)]]:
                sw = words[s0:s1]
                if not sw:
                    continue
                text, starts = detokenize(sw)
                local = [(s - s0, e - s0, t) for s, e, t in ner if s >= s0 and e <= s1]
                examples.append(Example(text, _word_spans_to_chars(sw, starts, local), doc_id))
    return examples


def read_scierc(path: str | Path, unit: str = "doc") -> list[Example]:
    """SciERC in DyGIE json lines (``sentences``, ``ner`` with inclusive ends)."""
    if unit not in ("doc", "sentence"):
        raise ValueError("unit must be 'doc' or 'sentence'")
    examples: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            doc_id = str(d.get("doc_key", len(examples)))
            sents = d["sentences"]
            ners = d.get("ner") or [[] for _ in sents]
            if unit == "doc":
                words = [w for s in sents for w in s]
                spans = [(s, e + 1, t) for sn in ners for s, e, t in sn]
                text, starts = detokenize(words)
                examples.append(Example(text, _word_spans_to_chars(words, starts, spans), doc_id))
                continue
            offset = 0
            for sw, sn in zip(sents, ners):
                text, starts = detokenize(sw)
                local = [(s - offset, e + 1 - offset, t) for s, e, t in sn]
                examples.append(Example(text, _word_spans_to_chars(sw, starts, local), doc_id))
                offset += len(sw)
    return examples


def locate_strings(text: str, entities: Iterable[tuple[str, str]]) -> list[Span]:
    """Find entity strings in ``text`` at token boundaries, without overlaps.

    Longer strings are placed first; each listed mention takes the leftmost
    occurrence that does not overlap a span already placed.  Strings that cannot
    be placed are skipped.  Labels are mapped with :func:`map_label`.
    """
    taken: list[tuple[int, int]] = []
    out: set[Span] = set()
    ents = [(s, t) for s, t in entities if s and s.strip()]
    for surface, raw in sorted(ents, key=lambda x: -len(x[0])):
        label = map_label(raw)
        pat = re.compile(r"(?<![\w])" + re.escape(surface) + r"(?![\w])")
        for m in pat.finditer(text):
            s, e = m.span()
            if all(e <= a or s >= b for a, b in taken):
                taken.append((s, e))
                if label is not None:
                    out.add((s, e, label))
                break
    return sorted(out)


def read_scier(path: str | Path) -> list[Example]:
    """SciER jsonl: ``sentence`` text plus ``ner`` = [[string, type], ...]."""
    examples: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            text = d["sentence"]
            ents = [(e[0], e[1]) for e in d.get("ner", [])]
            examples.append(Example(text, locate_strings(text, ents), str(d.get("doc_id", len(examples)))))
    return examples


READERS: dict[str, Callable[[str | Path], list[Example]]] = {
    "tdmsci": read_tdmsci,
    "scirex": read_scirex,
    "scierc": read_scierc,
    "scier": read_scier,
}


def read_examples(fmt: str, path: str | Path) -> list[Example]:
    """Read ``path`` in format ``fmt`` (a key of :data:`READERS`)."""
    try:
        reader = READERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(READERS)}") from None
    return reader(path)


# --------------------------------------------------------------------------
# held-out split (shared with extractors.training.convert)
# --------------------------------------------------------------------------


def assign_splits(
    group_ids: Iterable[str], seed: int = SPLIT_SEED, ratios: Sequence[float] = SPLIT_RATIOS
) -> dict[str, str]:
    """Map each distinct group id to ``train`` / ``dev`` / ``test``.

    The distinct ids are sorted, shuffled with ``random.Random(seed)`` and cut
    by ``ratios``; the result depends only on the set of ids and the seed.
    """
    ids = sorted(set(group_ids))
    random.Random(seed).shuffle(ids)
    total = sum(ratios)
    n = len(ids)
    n_train = int(round(n * ratios[0] / total))
    n_dev = int(round(n * ratios[1] / total))
    out: dict[str, str] = {}
    for i, gid in enumerate(ids):
        out[gid] = "train" if i < n_train else "dev" if i < n_train + n_dev else "test"
    return out


def split_examples(
    examples: Sequence[Example],
    split: str | None,
    seed: int = SPLIT_SEED,
    ratios: Sequence[float] = SPLIT_RATIOS,
) -> list[Example]:
    """Examples of one split (``train``/``dev``/``test``); ``None`` or ``all`` = all."""
    if split in (None, "all"):
        return list(examples)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} or 'all'")
    assignment = assign_splits((ex.doc_id for ex in examples), seed, ratios)
    return [ex for ex in examples if assignment[ex.doc_id] == split]


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score_spans(
    gold: Sequence[Iterable[Span]],
    pred: Sequence[Iterable[Span]],
    labels: Sequence[str] | None = None,
) -> dict:
    """Exact-span scores for aligned lists of gold and predicted span lists.

    A prediction counts only if start, end and label all equal a gold span;
    partial overlaps and wrong labels are a false positive *and* a false
    negative.  ``labels`` restricts both sides to those types (default: every
    label seen in gold or predictions).
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold span lists but {len(pred)} predicted")
    g_sets = [{tuple(s) for s in g} for g in gold]
    p_sets = [{tuple(s) for s in p} for p in pred]
    if labels is None:
        seen = {s[2] for g in g_sets for s in g} | {s[2] for p in p_sets for s in p}
        labels = [lab for lab in LABELS if lab in seen] + sorted(seen - set(LABELS))
    keep = set(labels)
    counts = {lab: [0, 0, 0] for lab in labels}
    for g, p in zip(g_sets, p_sets):
        g = {s for s in g if s[2] in keep}
        p = {s for s in p if s[2] in keep}
        for s in g & p:
            counts[s[2]][0] += 1
        for s in p - g:
            counts[s[2]][1] += 1
        for s in g - p:
            counts[s[2]][2] += 1
    per_type = {lab: _prf(*c) for lab, c in counts.items()}
    micro = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return {"micro": micro, "per_type": per_type, "n_examples": len(gold)}


def score(
    predict: Predictor,
    examples: Sequence[Example] | Sequence[tuple[str, Sequence[Span]]],
    labels: Sequence[str] | None = None,
) -> dict:
    """Run ``predict`` on the examples' texts and score exact spans.

    ``predict(texts) -> list[list[(start_char, end_char, label)]]``.
    ``examples`` are :class:`Example` or any ``(text, spans, ...)`` tuples.
    Returns ``{"micro": {...}, "per_type": {label: {...}}, "n_examples": n}``
    where each inner dict has ``p``, ``r``, ``f``, ``tp``, ``fp``, ``fn``, ``support``.
    """
    texts = [ex[0] for ex in examples]
    gold = [ex[1] for ex in examples]
    pred = predict(texts) if texts else []
    return score_spans(gold, list(pred), labels)


def error_classes(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]],
                  labels: Sequence[str] | None = None) -> dict[str, list[tuple[int, Span, list[Span]]]]:
    """Exact-span errors by kind: ``(example index, span, overlapping spans of the other side)``.

    ``missed``: a gold span no prediction overlaps; ``spurious``: a prediction
    no gold span overlaps; ``boundary``: a gold span overlapped by predictions
    with other ends; ``label``: a gold span predicted with its ends and another
    label. Every false negative is in exactly one of missed/boundary/label.
    """
    keep = set(labels) if labels is not None else None
    found: dict[str, list[tuple[int, Span, list[Span]]]] = {
        "missed": [], "spurious": [], "boundary": [], "label": []}
    for index, (g_spans, p_spans) in enumerate(zip(gold, pred)):
        g = {tuple(s) for s in g_spans if keep is None or s[2] in keep}
        p = {tuple(s) for s in p_spans if keep is None or s[2] in keep}
        for span in sorted(g - p):
            near = sorted(x for x in p if x[0] < span[1] and span[0] < x[1])
            kind = ("missed" if not near else
                    "label" if any(x[:2] == span[:2] for x in near) else "boundary")
            found[kind].append((index, span, near))
        for span in sorted(p - g):
            if not any(x[0] < span[1] and span[0] < x[1] for x in g):
                found["spurious"].append((index, span, []))
    return found


def format_table(scores: dict, markdown: bool = False, title: str | None = None) -> str:
    """Render :func:`score` output as a plain-text or markdown table."""
    header = ["type", "P", "R", "F1", "tp", "fp", "fn", "gold"]
    rows = []
    items = list(scores["per_type"].items()) + [("micro", scores["micro"])]
    for name, s in items:
        rows.append(
            [name, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}",
             str(s["tp"]), str(s["fp"]), str(s["fn"]), str(s["support"])]
        )
    lines: list[str] = []
    if markdown:
        if title:
            lines += [f"**{title}**", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

        def fmt(r: list[str]) -> str:
            return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

        if title:
            lines.append(title)
        lines.append(fmt(header))
        lines.append("-" * len(lines[-1]))
        lines += [fmt(r) for r in rows[:-1]]
        lines.append("-" * len(lines[1 if title else 0]))
        lines.append(fmt(rows[-1]))
    return "\n".join(lines)


# --------------------------------------------------------------------------
# predictors
# --------------------------------------------------------------------------

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "ner"


def spacy_predictor(model: str | Path | object = DEFAULT_MODEL, batch_size: int = 64) -> Predictor:
    """A :data:`Predictor` backed by a spaCy pipeline (a path or a loaded ``Language``)."""
    if isinstance(model, (str, Path)):
        import spacy

        import extractors.components.features  # noqa: F401  (the model's first component)

        nlp = spacy.load(model)
    else:
        nlp = model

    def predict(texts: list[str]) -> list[list[Span]]:
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=batch_size)
        ]

    return predict


def evaluate(
    fmt: str,
    path: str | Path,
    split: str | None = None,
    model: str | Path | object = DEFAULT_MODEL,
    predict: Predictor | None = None,
    seed: int = SPLIT_SEED,
) -> dict:
    """Read, split, predict and score in one call; labels restricted to the format's."""
    examples = split_examples(read_examples(fmt, path), split, seed)
    return score(predict or spacy_predictor(model), examples, FORMAT_LABELS[fmt])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("path", help="annotated data file")
    ap.add_argument("--format", "-f", required=True, choices=sorted(READERS))
    ap.add_argument("--split", default="all", choices=("all",) + SPLITS,
                    help="fixed-seed held-out split to score (default: the whole file)")
    ap.add_argument("--seed", type=int, default=SPLIT_SEED)
    ap.add_argument("--model", default=str(DEFAULT_MODEL), help="spaCy pipeline directory")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--json", action="store_true", help="print the raw scores as JSON")
    ap.add_argument("--errors", action="store_true",
                    help="list the errors by kind (missed, spurious, boundary, label) instead")
    args = ap.parse_args(argv)
    if args.errors:
        examples = split_examples(read_examples(args.format, args.path), args.split, args.seed)
        predicted = spacy_predictor(args.model)([ex.text for ex in examples])
        kinds = error_classes([ex.spans for ex in examples], predicted, FORMAT_LABELS[args.format])
        for kind, errors in kinds.items():
            print(f"{kind}: {len(errors)}")
            for index, (start, end, label), near in errors:
                text = examples[index].text
                others = "; ".join(f"{text[a:b]!r} {lab}" for a, b, lab in near)
                print(f"  {text[start:end]!r} {label}" + (f"  <> {others}" if others else ""))
        return 0
    scores = evaluate(args.format, args.path, args.split, args.model, seed=args.seed)
    if args.json:
        print(json.dumps(scores, indent=2))
    else:
        title = f"{args.format} {Path(args.path).name} split={args.split} n={scores['n_examples']}"
        print(format_table(scores, markdown=args.markdown, title=title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
